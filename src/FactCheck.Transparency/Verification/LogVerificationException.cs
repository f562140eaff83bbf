namespace FactCheck.Transparency.Verification;

/// <summary>What a client found wrong with the log it was served.</summary>
public enum LogFailure
{
    /// <summary>The checkpoint is not a signed checkpoint note.</summary>
    Malformed,
    /// <summary>The checkpoint is not signed by the pinned key, or its signature does not verify.</summary>
    BadSignature,
    /// <summary>The checkpoint is signed by the pinned key but names another log.</summary>
    WrongLog,
    /// <summary>The log is smaller than a checkpoint it signed before: events were deleted from its end.</summary>
    Truncation,
    /// <summary>Two different trees of the same size were signed: the history was rewritten, or two clients are being
    /// shown two different histories.</summary>
    Fork,
    /// <summary>The larger log does not contain the one signed before (no valid consistency proof): events were
    /// changed, deleted or inserted before the old end.</summary>
    Rewrite,
    /// <summary>An event is not in the signed tree at its place: it was edited, or it is not in the log.</summary>
    NotIncluded,
}

/// <summary>The log failed a check; the message says what was found and what it means.</summary>
public sealed class LogVerificationException(LogFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public LogFailure Failure { get; } = failure;
}
