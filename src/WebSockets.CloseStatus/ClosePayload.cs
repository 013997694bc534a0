using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using WebSockets.CloseStatus.Internal;

namespace WebSockets.CloseStatus;

/// <summary>Reads and writes the application data of a close frame: empty, or a 2-byte big-endian status code and a UTF-8 reason (RFC 6455 §5.5.1).</summary>
public static class ClosePayload
{
    /// <summary>The largest close payload, in bytes: the control-frame limit (RFC 6455 §5.5).</summary>
    public const int MaxLength = 125;

    /// <summary>The longest reason, in UTF-8 bytes: <see cref="MaxLength"/> less the 2-byte status code.</summary>
    public const int MaxReasonLength = MaxLength - StatusLength;

    private const int StatusLength = 2;

    // "…" (U+2026) in UTF-8, appended by CloseReasonTruncation.TruncateWithEllipsis.
    private static ReadOnlySpan<byte> Ellipsis => [0xE2, 0x80, 0xA6];

    /// <summary>Reads a close payload, accepting the status codes that are valid on the wire today.</summary>
    /// <param name="source">The payload of the close frame, already unmasked; untrusted bytes are fine.</param>
    /// <param name="status">When this method returns, the status (<see cref="WebSocketCloseStatus.Empty"/> for an empty payload); <see langword="default"/> on error.</param>
    /// <param name="utf8Reason">When this method returns, the UTF-8 reason as a slice of <paramref name="source"/>; empty on error.</param>
    /// <returns><see cref="ClosePayloadError.None"/> if the payload is well formed; otherwise, what is wrong with it.</returns>
    /// <remarks>Never throws and never allocates. The checks run in the order of <see cref="ClosePayloadError"/>: length, status, UTF-8.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ClosePayloadError Read(ReadOnlySpan<byte> source, out WebSocketCloseStatus status, out ReadOnlySpan<byte> utf8Reason) =>
        ReadCore(source, lenient: false, out status, out utf8Reason);

    /// <summary>Reads a close payload, accepting the status codes that <paramref name="mode"/> allows.</summary>
    /// <param name="source">The payload of the close frame, already unmasked; untrusted bytes are fine.</param>
    /// <param name="mode">Which status codes to accept.</param>
    /// <param name="status">When this method returns, the status exactly as received (<see cref="WebSocketCloseStatus.Empty"/> for an empty payload); <see langword="default"/> on error.</param>
    /// <param name="utf8Reason">When this method returns, the UTF-8 reason as a slice of <paramref name="source"/>; empty on error.</param>
    /// <returns><see cref="ClosePayloadError.None"/> if the payload is well formed; otherwise, what is wrong with it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not a defined value.</exception>
    public static ClosePayloadError Read(ReadOnlySpan<byte> source, ClosePayloadReadMode mode, out WebSocketCloseStatus status, out ReadOnlySpan<byte> utf8Reason)
    {
        ValidateMode(mode);
        return ReadCore(source, mode == ClosePayloadReadMode.Lenient, out status, out utf8Reason);
    }

    /// <summary>Reads a close payload that may span several segments, accepting the status codes that are valid on the wire today.</summary>
    /// <param name="source">The payload of the close frame, already unmasked; untrusted bytes are fine.</param>
    /// <param name="status">When this method returns, the status (<see cref="WebSocketCloseStatus.Empty"/> for an empty payload); <see langword="default"/> on error.</param>
    /// <param name="utf8Reason">When this method returns, the UTF-8 reason as a slice of <paramref name="source"/>; empty on error.</param>
    /// <returns><see cref="ClosePayloadError.None"/> if the payload is well formed; otherwise, what is wrong with it.</returns>
    public static ClosePayloadError Read(in ReadOnlySequence<byte> source, out WebSocketCloseStatus status, out ReadOnlySequence<byte> utf8Reason) =>
        ReadSequence(source, lenient: false, out status, out utf8Reason);

    /// <summary>Reads a close payload that may span several segments, accepting the status codes that <paramref name="mode"/> allows.</summary>
    /// <param name="source">The payload of the close frame, already unmasked; untrusted bytes are fine.</param>
    /// <param name="mode">Which status codes to accept.</param>
    /// <param name="status">When this method returns, the status exactly as received (<see cref="WebSocketCloseStatus.Empty"/> for an empty payload); <see langword="default"/> on error.</param>
    /// <param name="utf8Reason">When this method returns, the UTF-8 reason as a slice of <paramref name="source"/>; empty on error.</param>
    /// <returns><see cref="ClosePayloadError.None"/> if the payload is well formed; otherwise, what is wrong with it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not a defined value.</exception>
    public static ClosePayloadError Read(in ReadOnlySequence<byte> source, ClosePayloadReadMode mode, out WebSocketCloseStatus status, out ReadOnlySequence<byte> utf8Reason)
    {
        ValidateMode(mode);
        return ReadSequence(source, mode == ClosePayloadReadMode.Lenient, out status, out utf8Reason);
    }

    /// <summary>Tries to read a close payload, accepting the status codes that are valid on the wire today.</summary>
    /// <param name="source">The payload of the close frame, already unmasked; untrusted bytes are fine.</param>
    /// <param name="status">When this method returns, the status (<see cref="WebSocketCloseStatus.Empty"/> for an empty payload); <see langword="default"/> on failure.</param>
    /// <param name="utf8Reason">When this method returns, the UTF-8 reason as a slice of <paramref name="source"/>; empty on failure.</param>
    /// <returns><see langword="true"/> if the payload is well formed; otherwise, <see langword="false"/>.</returns>
    public static bool TryRead(ReadOnlySpan<byte> source, out WebSocketCloseStatus status, out ReadOnlySpan<byte> utf8Reason) =>
        ReadCore(source, lenient: false, out status, out utf8Reason) == ClosePayloadError.None;

    /// <summary>Tries to read a close payload and decodes its reason to a <see cref="string"/>.</summary>
    /// <param name="source">The payload of the close frame, already unmasked; untrusted bytes are fine.</param>
    /// <param name="status">When this method returns, the status (<see cref="WebSocketCloseStatus.Empty"/> for an empty payload); <see langword="default"/> on failure.</param>
    /// <param name="reason">When this method returns, the reason; <see cref="string.Empty"/> when there is none or on failure.</param>
    /// <returns><see langword="true"/> if the payload is well formed; otherwise, <see langword="false"/>.</returns>
    public static bool TryRead(ReadOnlySpan<byte> source, out WebSocketCloseStatus status, out string reason)
    {
        if (ReadCore(source, lenient: false, out status, out ReadOnlySpan<byte> utf8Reason) != ClosePayloadError.None)
        {
            reason = string.Empty;
            return false;
        }

        reason = DecodeValidUtf8(utf8Reason);
        return true;
    }

    /// <summary>Gets the number of bytes that writing <paramref name="status"/> and <paramref name="reason"/> takes.</summary>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason.</param>
    /// <param name="reason">The closing reason.</param>
    /// <returns>The payload length: 0 for <see cref="WebSocketCloseStatus.Empty"/>, otherwise 2 plus the UTF-8 length of the reason.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> has a lone surrogate, is over <see cref="MaxReasonLength"/> bytes in UTF-8, or accompanies <see cref="WebSocketCloseStatus.Empty"/>.</exception>
    public static int GetByteCount(WebSocketCloseStatus status, ReadOnlySpan<char> reason)
    {
        if (!ValidateStatus(status, reason.IsEmpty))
        {
            return 0;
        }

        return StatusLength + MeasureStrict(reason);
    }

    /// <summary>Writes a close payload: the big-endian status code followed by the UTF-8 reason.</summary>
    /// <param name="destination">The buffer that receives the payload; its contents are unspecified on failure.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="reason">The closing reason; at most <see cref="MaxReasonLength"/> bytes once UTF-8 encoded.</param>
    /// <param name="bytesWritten">When this method returns, the number of bytes written to <paramref name="destination"/>; 0 on failure.</param>
    /// <returns><see langword="true"/> if the payload fit in <paramref name="destination"/>; otherwise, <see langword="false"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> has a lone surrogate, is over <see cref="MaxReasonLength"/> bytes in UTF-8, or accompanies <see cref="WebSocketCloseStatus.Empty"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryWrite(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<char> reason, out int bytesWritten)
    {
        // Fast path: a sendable status, room for any payload, and a reason that transcodes into 123 bytes
        // (an empty one needs no transcoder call). Everything else takes the slow path, which gives the same answer.
        bool roomForAny = destination.Length >= MaxLength;
        if (roomForAny && status.IsValidOnWire())
        {
            int reasonBytes = 0;
            bool transcoded = reason.IsEmpty
                || Utf16Transcoding.FromUtf16(reason, destination.Slice(StatusLength, MaxReasonLength), out reasonBytes) == OperationStatus.Done;
            if (transcoded)
            {
                BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)status);
                bytesWritten = StatusLength + reasonBytes;
                return true;
            }
        }

        return TryWriteSlow(destination, status, reason, out bytesWritten);
    }

    /// <summary>Writes a close payload from a reason that is already UTF-8.</summary>
    /// <param name="destination">The buffer that receives the payload; its contents are unspecified on failure.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="utf8Reason">The closing reason as well-formed UTF-8; at most <see cref="MaxReasonLength"/> bytes.</param>
    /// <param name="bytesWritten">When this method returns, the number of bytes written to <paramref name="destination"/>; 0 on failure.</param>
    /// <returns><see langword="true"/> if the payload fit in <paramref name="destination"/>; otherwise, <see langword="false"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame.</exception>
    /// <exception cref="ArgumentException"><paramref name="utf8Reason"/> is not well-formed UTF-8, is over <see cref="MaxReasonLength"/> bytes, or accompanies <see cref="WebSocketCloseStatus.Empty"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryWrite(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason, out int bytesWritten)
    {
        // Fast path: a sendable status, a reason that is short enough and well formed, room for both
        // (an empty reason needs no validator call).
        if (status.IsValidOnWire()
            && utf8Reason.Length <= MaxReasonLength
            && destination.Length - StatusLength >= utf8Reason.Length
            && (utf8Reason.IsEmpty || Utf8Validation.IsValid(utf8Reason)))
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)status);
            utf8Reason.CopyTo(destination.Slice(StatusLength));
            bytesWritten = StatusLength + utf8Reason.Length;
            return true;
        }

        return TryWriteUtf8Slow(destination, status, utf8Reason, out bytesWritten);
    }

    /// <summary>Writes a close payload, truncating an over-long reason if <paramref name="truncation"/> asks for it.</summary>
    /// <param name="destination">The buffer that receives the payload; its contents are unspecified on failure.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="reason">The closing reason. Only the part that is written must be free of lone surrogates.</param>
    /// <param name="truncation">What to do with a reason over <see cref="MaxReasonLength"/> bytes in UTF-8.</param>
    /// <param name="bytesWritten">When this method returns, the number of bytes written to <paramref name="destination"/>; 0 on failure.</param>
    /// <param name="charsDropped">When this method returns, the number of chars of <paramref name="reason"/> that were cut off; 0 on failure.</param>
    /// <returns><see langword="true"/> if the payload fit in <paramref name="destination"/>; otherwise, <see langword="false"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame, or <paramref name="truncation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> has a lone surrogate in the part written, is too long and <paramref name="truncation"/> is <see cref="CloseReasonTruncation.None"/>, or accompanies <see cref="WebSocketCloseStatus.Empty"/>.</exception>
    public static bool TryWrite(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<char> reason, CloseReasonTruncation truncation, out int bytesWritten, out int charsDropped)
    {
        ValidateTruncation(truncation);
        charsDropped = 0;
        if (truncation == CloseReasonTruncation.None)
        {
            return TryWrite(destination, status, reason, out bytesWritten);
        }

        if (!ValidateStatus(status, reason.IsEmpty))
        {
            bytesWritten = 0;
            return true;
        }

        int kept = FitReason(reason, truncation, out long reasonBytes);
        int total = StatusLength + (int)reasonBytes + (kept < reason.Length && truncation == CloseReasonTruncation.TruncateWithEllipsis ? Ellipsis.Length : 0);
        if (destination.Length < total)
        {
            bytesWritten = 0;
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)status);
        OperationStatus result = Utf16Transcoding.FromUtf16(reason.Slice(0, kept), destination.Slice(StatusLength), out int written);
        Debug.Assert(result == OperationStatus.Done && written == reasonBytes, "The measured prefix transcodes exactly.");
        if (kept < reason.Length && truncation == CloseReasonTruncation.TruncateWithEllipsis)
        {
            Ellipsis.CopyTo(destination.Slice(StatusLength + written));
        }

        bytesWritten = total;
        charsDropped = reason.Length - kept;
        return true;
    }

    /// <summary>Writes a close payload from a UTF-8 reason, truncating an over-long reason if <paramref name="truncation"/> asks for it.</summary>
    /// <param name="destination">The buffer that receives the payload; its contents are unspecified on failure.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="utf8Reason">The closing reason as UTF-8. Only the part that is written must be well formed.</param>
    /// <param name="truncation">What to do with a reason over <see cref="MaxReasonLength"/> bytes.</param>
    /// <param name="bytesWritten">When this method returns, the number of bytes written to <paramref name="destination"/>; 0 on failure.</param>
    /// <param name="bytesDropped">When this method returns, the number of bytes of <paramref name="utf8Reason"/> that were cut off; 0 on failure.</param>
    /// <returns><see langword="true"/> if the payload fit in <paramref name="destination"/>; otherwise, <see langword="false"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame, or <paramref name="truncation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="utf8Reason"/> is not well-formed UTF-8 in the part written, is too long and <paramref name="truncation"/> is <see cref="CloseReasonTruncation.None"/>, or accompanies <see cref="WebSocketCloseStatus.Empty"/>.</exception>
    public static bool TryWrite(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason, CloseReasonTruncation truncation, out int bytesWritten, out int bytesDropped)
    {
        ValidateTruncation(truncation);
        bytesDropped = 0;
        if (truncation == CloseReasonTruncation.None || utf8Reason.Length <= MaxReasonLength)
        {
            return TryWrite(destination, status, utf8Reason, out bytesWritten);
        }

        // A reason this long is never empty, so the status is either sendable or a caller mistake that throws.
        _ = ValidateStatus(status, reasonIsEmpty: false);

        // Cut at a scalar boundary: step back over continuation bytes so no sequence is split.
        int kept = truncation == CloseReasonTruncation.TruncateWithEllipsis ? MaxReasonLength - Ellipsis.Length : MaxReasonLength;
        for (int steps = 0; steps < 3 && Utf8Validation.IsContinuation(utf8Reason[kept]); steps++)
        {
            kept--;
        }

        ReadOnlySpan<byte> prefix = utf8Reason.Slice(0, kept);
        ValidateUtf8(prefix, nameof(utf8Reason));
        int total = StatusLength + kept + (truncation == CloseReasonTruncation.TruncateWithEllipsis ? Ellipsis.Length : 0);
        if (destination.Length < total)
        {
            bytesWritten = 0;
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)status);
        prefix.CopyTo(destination.Slice(StatusLength));
        if (truncation == CloseReasonTruncation.TruncateWithEllipsis)
        {
            Ellipsis.CopyTo(destination.Slice(StatusLength + kept));
        }

        bytesWritten = total;
        bytesDropped = utf8Reason.Length - kept;
        return true;
    }

    /// <summary>Writes a close payload to a buffer writer.</summary>
    /// <param name="destination">The writer that receives the payload.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="reason">The closing reason; at most <see cref="MaxReasonLength"/> bytes once UTF-8 encoded.</param>
    /// <returns>The number of bytes written and advanced.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> has a lone surrogate, is over <see cref="MaxReasonLength"/> bytes in UTF-8, or accompanies <see cref="WebSocketCloseStatus.Empty"/>.</exception>
    public static int Write(IBufferWriter<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<char> reason) =>
        Write(destination, status, reason, CloseReasonTruncation.None);

    /// <summary>Writes a close payload to a buffer writer, truncating an over-long reason if <paramref name="truncation"/> asks for it.</summary>
    /// <param name="destination">The writer that receives the payload.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="reason">The closing reason.</param>
    /// <param name="truncation">What to do with a reason over <see cref="MaxReasonLength"/> bytes in UTF-8.</param>
    /// <returns>The number of bytes written and advanced.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame, or <paramref name="truncation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> cannot be written, as <see cref="TryWrite(Span{byte}, WebSocketCloseStatus, ReadOnlySpan{char}, CloseReasonTruncation, out int, out int)"/> explains.</exception>
    public static int Write(IBufferWriter<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<char> reason, CloseReasonTruncation truncation)
    {
        Span<byte> span = GetWriterSpan(destination);
        bool written = TryWrite(span, status, reason, truncation, out int bytesWritten, out _);
        Debug.Assert(written, "A span of MaxLength bytes holds any payload.");
        destination.Advance(bytesWritten);
        return bytesWritten;
    }

    /// <summary>Writes a close payload from a UTF-8 reason to a buffer writer.</summary>
    /// <param name="destination">The writer that receives the payload.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="utf8Reason">The closing reason as well-formed UTF-8; at most <see cref="MaxReasonLength"/> bytes.</param>
    /// <returns>The number of bytes written and advanced.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame.</exception>
    /// <exception cref="ArgumentException"><paramref name="utf8Reason"/> is not well-formed UTF-8, is over <see cref="MaxReasonLength"/> bytes, or accompanies <see cref="WebSocketCloseStatus.Empty"/>.</exception>
    public static int Write(IBufferWriter<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason) =>
        Write(destination, status, utf8Reason, CloseReasonTruncation.None);

    /// <summary>Writes a close payload from a UTF-8 reason to a buffer writer, truncating an over-long reason if <paramref name="truncation"/> asks for it.</summary>
    /// <param name="destination">The writer that receives the payload.</param>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="utf8Reason">The closing reason as UTF-8.</param>
    /// <param name="truncation">What to do with a reason over <see cref="MaxReasonLength"/> bytes.</param>
    /// <returns>The number of bytes written and advanced.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame, or <paramref name="truncation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="utf8Reason"/> cannot be written, as <see cref="TryWrite(Span{byte}, WebSocketCloseStatus, ReadOnlySpan{byte}, CloseReasonTruncation, out int, out int)"/> explains.</exception>
    public static int Write(IBufferWriter<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason, CloseReasonTruncation truncation)
    {
        Span<byte> span = GetWriterSpan(destination);
        bool written = TryWrite(span, status, utf8Reason, truncation, out int bytesWritten, out _);
        Debug.Assert(written, "A span of MaxLength bytes holds any payload.");
        destination.Advance(bytesWritten);
        return bytesWritten;
    }

    /// <summary>Creates a close payload in a new array.</summary>
    /// <param name="status">The status to send; must be valid on the wire, or <see cref="WebSocketCloseStatus.Empty"/> with no reason (an empty payload).</param>
    /// <param name="reason">The closing reason, or <see langword="null"/> for none.</param>
    /// <param name="truncation">What to do with a reason over <see cref="MaxReasonLength"/> bytes in UTF-8.</param>
    /// <returns>A new array that holds exactly the payload.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> must not be sent in a close frame, or <paramref name="truncation"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> cannot be written as <see cref="TryWrite(Span{byte}, WebSocketCloseStatus, ReadOnlySpan{char}, CloseReasonTruncation, out int, out int)"/> explains.</exception>
    public static byte[] Create(WebSocketCloseStatus status, string? reason = null, CloseReasonTruncation truncation = CloseReasonTruncation.None)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        bool written = TryWrite(buffer, status, reason.AsSpan(), truncation, out int bytesWritten, out _);
        Debug.Assert(written, "A span of MaxLength bytes holds any payload.");
        return buffer.Slice(0, bytesWritten).ToArray();
    }

    private static Span<byte> GetWriterSpan(IBufferWriter<byte> destination)
    {
        if (destination is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(destination));
        }

        return destination.GetSpan(MaxLength);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ClosePayloadError ReadCore(ReadOnlySpan<byte> source, bool lenient, out WebSocketCloseStatus status, out ReadOnlySpan<byte> utf8Reason)
    {
        status = default;
        utf8Reason = default;
        if (source.Length < StatusLength)
        {
            // §7.1.5: a close frame without a status is reported as 1005; a lone byte is malformed (§5.5.1).
            if (source.IsEmpty)
            {
                status = WebSocketCloseStatus.Empty;
                return ClosePayloadError.None;
            }

            return ClosePayloadError.TooShort;
        }

        if (source.Length > MaxLength)
        {
            return ClosePayloadError.TooLong;
        }

        var code = (WebSocketCloseStatus)BinaryPrimitives.ReadUInt16BigEndian(source);
        if (!(code.IsValidOnWire() || (lenient && IsLenientlyAccepted(code))))
        {
            return ClosePayloadError.InvalidStatus;
        }

        ReadOnlySpan<byte> reason = source.Slice(StatusLength);
        if (!Utf8Validation.IsValid(reason))
        {
            return ClosePayloadError.InvalidUtf8;
        }

        status = code;
        utf8Reason = reason;
        return ClosePayloadError.None;
    }

    private static ClosePayloadError ReadSequence(in ReadOnlySequence<byte> source, bool lenient, out WebSocketCloseStatus status, out ReadOnlySequence<byte> utf8Reason)
    {
        ClosePayloadError error;
        if (source.IsSingleSegment)
        {
            error = ReadCore(source.First.Span, lenient, out status, out _);
        }
        else if (source.Length > MaxLength)
        {
            status = default;
            error = ClosePayloadError.TooLong;
        }
        else
        {
            // At most 125 bytes: gather them on the stack, then read as one span.
            Span<byte> buffer = stackalloc byte[MaxLength];
            buffer = buffer.Slice(0, (int)source.Length);
            source.CopyTo(buffer);
            error = ReadCore(buffer, lenient, out status, out _);
        }

        utf8Reason = error == ClosePayloadError.None && !source.IsEmpty ? source.Slice(StatusLength) : ReadOnlySequence<byte>.Empty;
        return error;
    }

    // Forward compatibility: a code a future registration may define, never one that is only reported locally.
    private static bool IsLenientlyAccepted(WebSocketCloseStatus status) =>
        (uint)((int)status - 1000) < 4000 && !status.IsLocalOnly();

    /// <summary>Throws unless <paramref name="status"/> may be written; returns <see langword="false"/> for <see cref="WebSocketCloseStatus.Empty"/> with no reason, which is written as 0 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ValidateStatus(WebSocketCloseStatus status, bool reasonIsEmpty)
    {
        if (status.IsValidOnWire())
        {
            return true;
        }

        if (status != WebSocketCloseStatus.Empty || !reasonIsEmpty)
        {
            ThrowHelper.ThrowUnsendableStatus(status, nameof(status));
        }

        return false;
    }

    private static void ValidateUtf8(ReadOnlySpan<byte> utf8Reason, string paramName)
    {
        // One pass: the index of the first ill-formed sequence is both the verdict and the number the message gives.
        int invalidAt = Utf8Validation.IndexOfInvalid(utf8Reason);
        if (invalidAt >= 0)
        {
            ThrowHelper.ThrowInvalidUtf8(invalidAt, paramName);
        }
    }

    private static void ValidateMode(ClosePayloadReadMode mode)
    {
        if ((uint)mode > (uint)ClosePayloadReadMode.Lenient)
        {
            ThrowHelper.ThrowUndefinedEnum(mode, nameof(mode));
        }
    }

    private static void ValidateTruncation(CloseReasonTruncation truncation)
    {
        if ((uint)truncation > (uint)CloseReasonTruncation.TruncateWithEllipsis)
        {
            ThrowHelper.ThrowUndefinedEnum(truncation, nameof(truncation));
        }
    }

    /// <summary>The UTF-8 length of <paramref name="reason"/>; throws for a lone surrogate or more than <see cref="MaxReasonLength"/> bytes.</summary>
    private static int MeasureStrict(ReadOnlySpan<char> reason)
    {
        int loneSurrogate = Utf16Transcoding.Measure(reason, long.MaxValue, out _, out long byteCount);
        if (loneSurrogate >= 0)
        {
            ThrowHelper.ThrowLoneSurrogate(reason, loneSurrogate, nameof(reason));
        }

        if (byteCount > MaxReasonLength)
        {
            ThrowHelper.ThrowReasonTooLong(byteCount, nameof(reason));
        }

        return (int)byteCount;
    }

    /// <summary>The number of chars of <paramref name="reason"/> to write under <paramref name="truncation"/>; throws for a lone surrogate in them.</summary>
    private static int FitReason(ReadOnlySpan<char> reason, CloseReasonTruncation truncation, out long reasonBytes)
    {
        int loneSurrogate = Utf16Transcoding.Measure(reason, MaxReasonLength, out int kept, out reasonBytes);
        if (kept < reason.Length && truncation == CloseReasonTruncation.TruncateWithEllipsis && loneSurrogate == -1)
        {
            // It does not fit whole: make room for the ellipsis.
            loneSurrogate = Utf16Transcoding.Measure(reason, MaxReasonLength - Ellipsis.Length, out kept, out reasonBytes);
        }

        if (loneSurrogate >= 0)
        {
            ThrowHelper.ThrowLoneSurrogate(reason, loneSurrogate, nameof(reason));
        }

        return kept;
    }

    // The general half of TryWrite(char): a destination under MaxLength bytes, or a failure to explain by a throw or by false.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryWriteSlow(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<char> reason, out int bytesWritten)
    {
        bytesWritten = 0;
        if (!ValidateStatus(status, reason.IsEmpty))
        {
            return true;
        }

        if (destination.Length >= StatusLength
            && Utf16Transcoding.FromUtf16(reason, destination.Slice(StatusLength, Math.Min(destination.Length - StatusLength, MaxReasonLength)), out int reasonBytes) == OperationStatus.Done)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)status);
            bytesWritten = StatusLength + reasonBytes;
            return true;
        }

        // Only a short destination is left to fail on, unless the reason itself is a caller mistake.
        _ = MeasureStrict(reason);
        return false;
    }

    // The cold half of TryWrite(UTF-8): explains why the fast path failed, by a throw or by false.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryWriteUtf8Slow(Span<byte> destination, WebSocketCloseStatus status, ReadOnlySpan<byte> utf8Reason, out int bytesWritten)
    {
        if (!ValidateStatus(status, utf8Reason.IsEmpty))
        {
            bytesWritten = 0;
            return true;
        }

        if (utf8Reason.Length > MaxReasonLength)
        {
            ThrowHelper.ThrowReasonTooLong(utf8Reason.Length, nameof(utf8Reason));
        }

        ValidateUtf8(utf8Reason, nameof(utf8Reason));
        Debug.Assert(destination.Length < StatusLength + utf8Reason.Length, "Only a short destination is left to fail on.");
        bytesWritten = 0;
        return false;
    }

    private static unsafe string DecodeValidUtf8(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }

        // Well-formed input: every decoder gives the same string, so the runtime's is exact here.
        fixed (byte* bytes = utf8)
        {
            return Encoding.UTF8.GetString(bytes, utf8.Length);
        }
    }
}
