using System;
using System.Buffers;
using System.Net.WebSockets;
using System.Threading;
using System.Threading.Tasks;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

public static partial class WebSocketExtensions
{
    // Room for the data a peer still sends after our close; what does not fit arrives in the next receive.
    private const int DrainBufferSize = 4096;

    // While a receive loop of the caller's owns the receives, the close polls the state at most this often (ms).
    private const int MaxPollInterval = 50;

    /// <summary>Closes the connection in bounded time and says how it ended: sends our close frame, discards data until the peer's close frame arrives, and aborts the connection if <paramref name="timeout"/> passes first.</summary>
    /// <param name="webSocket">The socket to close, in any state.</param>
    /// <param name="closeStatus">The status to send; must be valid on the wire (1000–1003, 1007–1014, 3000–4999).</param>
    /// <param name="statusDescription">The closing reason, or <see langword="null"/> for none; at most <see cref="ClosePayload.MaxReasonLength"/> bytes in UTF-8.</param>
    /// <param name="timeout">How long the whole close may take; positive and at most <see cref="int.MaxValue"/> milliseconds.</param>
    /// <param name="cancellationToken">The token to cancel the close with; a cancelled close aborts the connection.</param>
    /// <returns>How the connection ended; see <see cref="CloseGracefullyAsync(WebSocket, WebSocketCloseStatus, string, WebSocketCloseOptions, CancellationToken)"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="webSocket"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="closeStatus"/> must not be sent in a close frame (this includes 1005, Empty, which System.Net would send as a code), or <paramref name="timeout"/> is not positive or too long.</exception>
    /// <exception cref="ArgumentException"><paramref name="statusDescription"/> has a lone surrogate or is over <see cref="ClosePayload.MaxReasonLength"/> bytes in UTF-8.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled: before the close, with nothing sent; during it, after the connection was aborted.</exception>
    public static Task<WebSocketCloseResult> CloseGracefullyAsync(this WebSocket webSocket, WebSocketCloseStatus closeStatus, string? statusDescription, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string? reason = PrepareClose(webSocket, closeStatus, statusDescription, CloseReasonTruncation.None);
        if (timeout <= TimeSpan.Zero || timeout.TotalMilliseconds > int.MaxValue)
        {
            ThrowHelper.ThrowCloseTimeout(timeout, nameof(timeout));
        }

        return CloseGracefullyCoreAsync(webSocket, closeStatus, reason, timeout, null, cancellationToken);
    }

    /// <summary>Closes the connection in bounded time and says how it ended, as <paramref name="options"/> say: sends our close frame, hands data to <see cref="WebSocketCloseOptions.DataReceived"/> until the peer's close frame arrives, and aborts the connection if the timeout passes first.</summary>
    /// <param name="webSocket">The socket to close, in any state.</param>
    /// <param name="closeStatus">The status to send; must be valid on the wire (1000–1003, 1007–1014, 3000–4999).</param>
    /// <param name="statusDescription">The closing reason, or <see langword="null"/> for none; cut as <see cref="WebSocketCloseOptions.Truncation"/> says.</param>
    /// <param name="options">The timeout, the truncation and the data callback.</param>
    /// <param name="cancellationToken">The token to cancel the close with; a cancelled close aborts the connection.</param>
    /// <returns>How the connection ended. In every state it ends it: <see cref="WebSocketState.Open"/> sends our close and waits for the peer's; <see cref="WebSocketState.CloseReceived"/> replies; <see cref="WebSocketState.CloseSent"/> only waits; <see cref="WebSocketState.Closed"/> and <see cref="WebSocketState.Aborted"/> do no I/O; a socket that never connected is aborted. What the peer or the network does (no answer, a dropped connection, data after our close) is in the result, never an exception.</returns>
    /// <remarks>
    /// If a receive loop of the caller's is still receiving, System.Net queues this method's receive behind the loop's,
    /// so the loop takes what arrives first (the peer's close, perhaps) and this method what comes after; a WebSocket
    /// that refuses a second receive instead is waited on, within the timeout, until its loop takes the peer's close.
    /// In a browser (WebAssembly) only 1000 and 3000–4999 may be sent; check
    /// <see cref="WebSocketCloseStatusExtensions.IsValidForBrowserClose(WebSocketCloseStatus)"/> there.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="webSocket"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="closeStatus"/> must not be sent in a close frame (this includes 1005, Empty, which System.Net would send as a code).</exception>
    /// <exception cref="ArgumentException"><paramref name="statusDescription"/> has a lone surrogate in the part sent, or is too long and <see cref="WebSocketCloseOptions.Truncation"/> is <see cref="CloseReasonTruncation.None"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled: before the close, with nothing sent; during it, after the connection was aborted.</exception>
    public static Task<WebSocketCloseResult> CloseGracefullyAsync(this WebSocket webSocket, WebSocketCloseStatus closeStatus, string? statusDescription, WebSocketCloseOptions options, CancellationToken cancellationToken)
    {
        if (options is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(options));
        }

        string? reason = PrepareClose(webSocket, closeStatus, statusDescription, options.Truncation);
        return CloseGracefullyCoreAsync(webSocket, closeStatus, reason, options.Timeout, options.DataReceived, cancellationToken);
    }

    /// <summary>Gets how a connection that has ended (<see cref="WebSocketState.Closed"/> or <see cref="WebSocketState.Aborted"/>) ended, as <see cref="CloseGracefullyAsync(WebSocket, WebSocketCloseStatus, string, TimeSpan, CancellationToken)"/> reports it.</summary>
    /// <param name="webSocket">The socket to ask.</param>
    /// <returns>How the connection ended.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="webSocket"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The connection has not ended; close it with <see cref="CloseGracefullyAsync(WebSocket, WebSocketCloseStatus, string, TimeSpan, CancellationToken)"/>, which works in every state.</exception>
    public static WebSocketCloseResult GetCloseResult(this WebSocket webSocket) => GetCloseResult(webSocket, null);

    /// <summary>Gets how a connection ended whose receive loop stopped on <paramref name="exception"/>: a peer that closed without completing the handshake, a keep-alive timeout, an abort.</summary>
    /// <param name="webSocket">The socket to ask; it has ended (<see cref="WebSocketState.Closed"/> or <see cref="WebSocketState.Aborted"/>).</param>
    /// <param name="exception">The exception the receive loop caught, or <see langword="null"/>; a <see cref="TimeoutException"/> in it, or the keep-alive timeout of <c>ClientWebSocket</c> (a <see cref="WebSocketException"/> of <see cref="WebSocketError.Faulted"/> inside the <see cref="OperationCanceledException"/> the receive throws), sets <see cref="WebSocketCloseResult.TimedOut"/>.</param>
    /// <returns>How the connection ended, with <paramref name="exception"/> as <see cref="WebSocketCloseResult.Exception"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="webSocket"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The connection has not ended; close it with <see cref="CloseGracefullyAsync(WebSocket, WebSocketCloseStatus, string, TimeSpan, CancellationToken)"/>, which works in every state.</exception>
    public static WebSocketCloseResult GetCloseResult(this WebSocket webSocket, Exception? exception)
    {
        if (webSocket is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(webSocket));
        }

        WebSocketState state = webSocket.State;
        if (state is not (WebSocketState.Closed or WebSocketState.Aborted))
        {
            ThrowHelper.ThrowNotEnded(state);
        }

        return Describe(webSocket, null, timedOut: false, exception);
    }

    private static async Task<WebSocketCloseResult> CloseGracefullyCoreAsync(
        WebSocket webSocket,
        WebSocketCloseStatus closeStatus,
        string? reason,
        TimeSpan timeout,
        Action<WebSocketMessageType, ReadOnlyMemory<byte>, bool>? dataReceived,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        WebSocketState state = webSocket.State;

        if (state is not (WebSocketState.Open or WebSocketState.CloseReceived or WebSocketState.CloseSent))
        {
            // Closed or Aborted: it has ended. None or Connecting: there is no connection to close, only a socket to end.
            if (state is WebSocketState.None or WebSocketState.Connecting)
            {
                webSocket.Abort();
            }

            return Describe(webSocket, null, timedOut: false, null);
        }

        Exception? failure = null;
        bool timedOut = false;
        bool inCallback = false;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            if (state != WebSocketState.CloseSent)
            {
                RecordSend(webSocket, closeStatus, state);
                await webSocket.CloseOutputAsync(closeStatus.ToSystemNet(), reason, deadline.Token).ConfigureAwait(false);
            }

            byte[] buffer = ArrayPool<byte>.Shared.Rent(DrainBufferSize);
            try
            {
                while (webSocket.State == WebSocketState.CloseSent)
                {
                    WebSocketReceiveResult? received = await ReceiveOrWaitAsync(webSocket, buffer, deadline.Token).ConfigureAwait(false);
                    if (received is null || received.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }

                    if (dataReceived is not null)
                    {
                        inCallback = true;
                        dataReceived(received.MessageType, new ReadOnlyMemory<byte>(buffer, 0, received.Count), received.EndOfMessage);
                        inCallback = false;
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        catch (Exception) when (inCallback || cancellationToken.IsCancellationRequested)
        {
            // The caller's own callback failed, or the caller cancelled: end the connection, then let the caller know.
            webSocket.Abort();
            cancellationToken.ThrowIfCancellationRequested();
            throw;
        }
        catch (Exception e) when (!deadline.IsCancellationRequested)
        {
            // What the peer or the network did (a dropped connection, a protocol error): a result, not an exception.
            // System.Net queues concurrent receives: when the caller's loop took the peer's close, the handshake is
            // complete, and what our queued receive met after it (the peer closing TCP) is no failure.
            failure = webSocket.State == WebSocketState.Closed ? null : e;
        }
        catch (Exception)
        {
            // The deadline passed; what System.Net threw for it says nothing more than TimedOut does. Only a close cut
            // short counts: a deadline that passes after the peer's close arrived timed nothing out.
            timedOut = true;
        }

        if (webSocket.State != WebSocketState.Closed)
        {
            webSocket.Abort();
        }

        // Open and CloseReceived recorded who started; CloseSent means this endpoint's close (System.Net's own) went first.
        return Describe(webSocket, CloseInitiator.Local, timedOut, failure);
    }

    // Null when another receive is outstanding and refused ours: the caller's loop then takes the peer's close.
    private static async Task<WebSocketReceiveResult?> ReceiveOrWaitAsync(WebSocket webSocket, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await webSocket.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException) when (webSocket.State == WebSocketState.CloseSent)
        {
            await WaitWhileCloseSentAsync(webSocket, cancellationToken).ConfigureAwait(false);
            return null;
        }
    }

    // Polls with a doubling interval: a receive loop usually takes the peer's close within a round trip.
    private static async Task WaitWhileCloseSentAsync(WebSocket webSocket, CancellationToken cancellationToken)
    {
        int interval = 1;
        while (webSocket.State == WebSocketState.CloseSent)
        {
            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            interval = Math.Min(interval * 2, MaxPollInterval);
        }
    }

    private static WebSocketCloseResult Describe(WebSocket webSocket, CloseInitiator? initiator, bool timedOut, Exception? exception)
    {
        WebSocketState state = webSocket.State;
        WebSocketCloseStatus? received = webSocket.CloseStatus.ToCloseStatus();
        SentCloses.Entry? sent = SentCloses.Find(webSocket);
        return new WebSocketCloseResult(
            received ?? WebSocketCloseStatus.AbnormalClosure,
            received.HasValue ? webSocket.CloseStatusDescription ?? string.Empty : string.Empty,
            wasClean: state == WebSocketState.Closed && received.HasValue && !timedOut && exception is null,
            sent?.Initiator ?? initiator ?? (received.HasValue ? null : CloseInitiator.None),
            timedOut || HasTimeout(exception),
            state == WebSocketState.Aborted,
            sent?.Status,
            exception);
    }

    // A TimeoutException anywhere in the chain, or System.Net's keep-alive timeout: it aborts the socket and a receive
    // throws OperationCanceledException with the WebSocketException it made (Faulted, no inner exception) inside.
    private static bool HasTimeout(Exception? exception, bool underCancellation = false)
    {
        switch (exception)
        {
            case null:
                return false;
            case TimeoutException:
                return true;
            case WebSocketException { WebSocketErrorCode: WebSocketError.Faulted, InnerException: null } when underCancellation:
                return true;
            case AggregateException aggregate:
                foreach (Exception inner in aggregate.InnerExceptions)
                {
                    if (HasTimeout(inner, underCancellation))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return HasTimeout(exception.InnerException, underCancellation || exception is OperationCanceledException);
        }
    }
}
