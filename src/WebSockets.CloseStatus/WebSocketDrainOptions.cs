using System;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

/// <summary>How a <see cref="WebSocketDrain"/> closes its connections: the code, the window they are spread over, and the deadline of the whole drain.</summary>
public sealed class WebSocketDrainOptions
{
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.ServiceRestart;
    private TimeSpan _window = TimeSpan.FromSeconds(10);
    private TimeSpan _deadline = TimeSpan.FromSeconds(25);

    /// <summary>Gets or sets the code each connection is closed with: 1012 (Service Restart) unless set, as the IANA registry gives it the advice to reconnect after a randomized 5–30 s; 1001 (Going Away) is the older code more clients know.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value must not be sent in a close frame.</exception>
    public WebSocketCloseStatus CloseStatus
    {
        get => _closeStatus;
        set
        {
            if (!value.IsValidOnWire())
            {
                ThrowHelper.ThrowUnsendableStatus(value, nameof(value));
            }

            _closeStatus = value;
        }
    }

    /// <summary>Gets or sets the close reason, or <see langword="null"/> for none (the default); cut as each closer's truncation says.</summary>
    public string? StatusDescription { get; set; }

    /// <summary>Gets or sets the time the closes are spread over: each connection starts closing at its own random moment within it, so its client does not reconnect with all the others; 10 seconds unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan Window
    {
        get => _window;
        set
        {
            if (value < TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
            {
                ThrowHelper.ThrowDrainTime(value, nameof(value));
            }

            _window = value;
        }
    }

    /// <summary>Gets or sets how long the whole drain may take, after which every connection still open is aborted; 25 seconds unless set, inside ASP.NET Core's default shutdown timeout of 30 seconds.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan Deadline
    {
        get => _deadline;
        set
        {
            if (value <= TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
            {
                ThrowHelper.ThrowDrainTime(value, nameof(value));
            }

            _deadline = value;
        }
    }

    /// <summary>Gets or sets the random source of the moments within the window, for a reproducible drain; <see langword="null"/> (the default) for a shared one.</summary>
    public Random? Random { get; set; }

    /// <summary>Gets or sets whether the report keeps each connection's result (<see cref="WebSocketDrainReport.Results"/>); <see langword="false"/> unless set, as counts are what most callers log.</summary>
    public bool KeepResults { get; set; }
}
