using System;
using System.Net.WebSockets;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

/// <summary>How a <see cref="WebSocketCloser"/> closes: how long it waits, and what it does with a long reason.</summary>
public sealed class WebSocketCloseOptions
{
    /// <summary>The time a close waits for the peer when no other is given: 5 seconds, as SignalR's close timeout.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private TimeSpan _timeout = DefaultTimeout;
    private CloseReasonTruncation _truncation;
    private WebSocketRole? _role;

    /// <summary>Gets or sets how long the whole close may take, sending our close frame and waiting for the peer's, before the connection is aborted; <see cref="DefaultTimeout"/> unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive, or is over <see cref="int.MaxValue"/> milliseconds (an infinite wait is what this close exists to prevent).</exception>
    public TimeSpan Timeout
    {
        get => _timeout;
        set
        {
            if (value <= TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
            {
                ThrowHelper.ThrowCloseTimeout(value, nameof(value));
            }

            _timeout = value;
        }
    }

    /// <summary>Gets or sets what to do with a reason over <see cref="ClosePayload.MaxReasonLength"/> bytes in UTF-8; <see cref="CloseReasonTruncation.None"/> (throw) unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="CloseReasonTruncation"/>.</exception>
    public CloseReasonTruncation Truncation
    {
        get => _truncation;
        set
        {
            if (value is not (CloseReasonTruncation.None or CloseReasonTruncation.Truncate or CloseReasonTruncation.TruncateWithEllipsis))
            {
                ThrowHelper.ThrowUndefinedEnum(value, nameof(value));
            }

            _truncation = value;
        }
    }

    /// <summary>Gets or sets the role the closer's connection has in the library's metrics (<see cref="WebSocketCloseMetrics.RoleTagName"/>); <see langword="null"/> unless set, for <see cref="WebSocketRole.Client"/> with a <see cref="ClientWebSocket"/> and <see cref="WebSocketRole.Server"/> with any other socket.</summary>
    /// <remarks>System.Net does not say which role a socket has: set it for a client made by <c>WebSocket.CreateFromStream</c>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is not <see langword="null"/> or a defined <see cref="WebSocketRole"/>.</exception>
    public WebSocketRole? Role
    {
        get => _role;
        set
        {
            if (value is not (null or WebSocketRole.Client or WebSocketRole.Server))
            {
                ThrowHelper.ThrowUndefinedRole(value.GetValueOrDefault(), nameof(value));
            }

            _role = value;
        }
    }
}
