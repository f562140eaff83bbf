namespace FactCheck.Transparency.Notes;

public enum NoteError
{
    /// <summary>Not a signed note: bad UTF-8, a control character, no signature block, a bad signature line.</summary>
    Malformed,
    /// <summary>Well-formed, but no signature is by a known key: the text must not be trusted.</summary>
    NoKnownSignature,
    /// <summary>A signature by a known key does not verify: the note was altered or forged.</summary>
    InvalidSignature,
    /// <summary>Two known keys share a name and key ID, so a signature cannot be attributed.</summary>
    AmbiguousKey,
}

/// <summary>Why a signed note was rejected (<see cref="SignedNote.Open(ReadOnlySpan{byte}, IReadOnlyCollection{NoteVerifier})"/>).</summary>
public sealed class NoteException(NoteError error, string message) : Exception(message)
{
    public NoteError Error { get; } = error;
}
