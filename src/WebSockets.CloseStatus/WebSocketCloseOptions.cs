using System;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

/// <summary>How a <see cref="WebSocketCloser"/> closes: how long it waits, and what it does with a long reason.</summary>
public sealed class WebSocketCloseOptions
{
    /// <summary>The time a close waits for the peer when no other is given: 5 seconds, as SignalR's close timeout.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private TimeSpan _timeout = DefaultTimeout;
    private CloseReasonTruncation _truncation;

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
}
