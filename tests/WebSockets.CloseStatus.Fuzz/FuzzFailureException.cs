using System;

namespace WebSockets.CloseStatus.Fuzz;

/// <summary>A broken promise found by a fuzz target; never an <see cref="ArgumentException"/>, so it is never mistaken for a caller mistake.</summary>
public sealed class FuzzFailureException : Exception
{
    public FuzzFailureException(string message)
        : base(message)
    {
    }

    public FuzzFailureException()
    {
    }

    public FuzzFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
