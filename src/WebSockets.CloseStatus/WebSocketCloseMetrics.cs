namespace WebSockets.CloseStatus;

/// <summary>
/// The names of the library's metrics (System.Diagnostics.Metrics), so that an app subscribes with
/// <c>AddMeter(WebSocketCloseMetrics.MeterName)</c> and a dashboard or a <c>MeterListener</c> names an instrument or a tag
/// without a string of its own.
/// </summary>
/// <remarks>
/// <para>
/// Every connection whose end the library sees is counted once, when it ends: a <see cref="WebSocketCloser"/>'s (and so
/// <c>CloseGracefullyAsync</c>'s and a <see cref="WebSocketDrain"/>'s, which close through closers) when its
/// <see cref="WebSocketCloser.Completion"/> completes, and a
/// <see cref="CloseHandshake"/>'s when <see cref="CloseHandshake.ReportTransportClosed"/> is first called after its
/// construction or <see cref="CloseHandshake.Reset"/>.
/// </para>
/// <para>
/// Nothing is measured and nothing is allocated while no listener has enabled an instrument. The duration is measured from
/// the moment closing started (this endpoint's close, the peer's or a failure) to the end, with
/// <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> read only while the histogram is enabled; a connection that ended
/// before closing started, or whose closing started before a listener enabled the histogram, is counted but not timed.
/// </para>
/// </remarks>
public static class WebSocketCloseMetrics
{
    /// <summary>The name of the library's <see cref="System.Diagnostics.Metrics.Meter"/>: <c>WebSockets.CloseStatus</c>.</summary>
    public const string MeterName = "WebSockets.CloseStatus";

    /// <summary>The name of the counter of ended connections, <c>websocket.closes</c>, in the unit <c>{close}</c>, with every tag below.</summary>
    public const string ClosesCounterName = "websocket.closes";

    /// <summary>The name of the histogram of closing-handshake durations, <c>websocket.close.duration</c>, in seconds (<c>s</c>), with every tag below.</summary>
    public const string DurationHistogramName = "websocket.close.duration";

    /// <summary>The tag of the connection close code (RFC 6455 §7.1.5), <c>websocket.close.code</c>: <c>"1000"</c> to <c>"1015"</c>, <c>"3xxx"</c> for 3000–3999, <c>"4xxx"</c> for 4000–4999, <c>"other"</c> for any other code.</summary>
    public const string CodeTagName = "websocket.close.code";

    /// <summary>The tag of who started closing, <c>websocket.close.initiator</c>: <c>"local"</c>, <c>"remote"</c>, <c>"none"</c> (the connection ended before either closed), or <c>"unknown"</c> (a closer made for a socket that had already ended).</summary>
    public const string InitiatorTagName = "websocket.close.initiator";

    /// <summary>The tag of whether the close was clean (close frames went both ways and the connection was not failed or aborted), <c>websocket.close.clean</c>: <see langword="true"/> or <see langword="false"/>.</summary>
    public const string CleanTagName = "websocket.close.clean";

    /// <summary>The tag of how the connection ended, <c>websocket.close.outcome</c>: <c>"clean"</c>, <c>"timed_out"</c> (the close's own timeout passed), <c>"aborted"</c> (this endpoint cut the close short or failed the connection, or it broke after a close frame arrived), or <c>"no_close_frame"</c> (it ended without a close frame from the peer).</summary>
    public const string OutcomeTagName = "websocket.close.outcome";

    /// <summary>The tag of this endpoint's role, <c>websocket.role</c>: <c>"client"</c> or <c>"server"</c>.</summary>
    public const string RoleTagName = "websocket.role";
}
