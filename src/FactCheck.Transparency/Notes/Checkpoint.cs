using System.Globalization;
using System.Text;
using FactCheck.Transparency.Merkle;

namespace FactCheck.Transparency.Notes;

/// <summary>
/// A C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): the note text a log signs to commit to its tree at one size.
/// <code>
/// &lt;origin&gt;
/// &lt;tree size, decimal, no leading zeros&gt;
/// &lt;root hash, base64&gt;
/// [&lt;extension line&gt;...]
/// </code>
/// each line ending in a newline. Go's sumdb uses the origin "go.sum database tree"; Sigstore's Rekor adds a
/// "Timestamp: …" extension line; ours has none.
/// </summary>
public sealed class Checkpoint
{
    public Checkpoint(string origin, long size, Hash rootHash, IReadOnlyList<string>? extensions = null)
    {
        if (string.IsNullOrEmpty(origin) || !IsLine(origin)) throw new ArgumentException("an origin is one non-empty line", nameof(origin));
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        extensions ??= [];
        if (extensions.Any(e => string.IsNullOrEmpty(e) || !IsLine(e))) throw new ArgumentException("an extension is one non-empty line", nameof(extensions));
        Origin = origin;
        Size = size;
        RootHash = rootHash;
        Extensions = extensions;
    }

    /// <summary>The log's identity, e.g. <c>factcheck.example/audit</c>; by convention its signing key's name.</summary>
    public string Origin { get; }

    /// <summary>How many leaves (audit events) the tree holds.</summary>
    public long Size { get; }

    public Hash RootHash { get; }

    /// <summary>Opaque lines after the root hash, not needed to check proofs.</summary>
    public IReadOnlyList<string> Extensions { get; }

    /// <summary>The note text to sign.</summary>
    public string ToNoteText()
    {
        var text = new StringBuilder()
            .Append(Origin).Append('\n')
            .Append(Size.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(RootHash.ToString()).Append('\n');
        foreach (var extension in Extensions) text.Append(extension).Append('\n');
        return text.ToString();
    }

    /// <summary>Parses the text of a checkpoint note (<see cref="SignedNote.Text"/>).</summary>
    /// <exception cref="FormatException">When a line is missing, empty or ill-formed.</exception>
    public static Checkpoint Parse(string noteText)
    {
        if (!noteText.EndsWith('\n')) throw new FormatException("a checkpoint ends with a newline");
        var lines = noteText[..^1].Split('\n');
        if (lines.Length < 3) throw new FormatException("a checkpoint has an origin, a tree size and a root hash line");
        if (lines.Any(line => line.Length == 0)) throw new FormatException("a checkpoint has no empty lines");
        var sizeLine = lines[1];
        // Decimal digits only (no sign, no spaces), no leading zero but for "0" itself.
        if (!sizeLine.All(char.IsAsciiDigit) || (sizeLine.Length > 1 && sizeLine[0] == '0')
            || !long.TryParse(sizeLine, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            throw new FormatException($"'{sizeLine}' is not a tree size");
        }
        if (!Hash.TryParse(lines[2], out var root)) throw new FormatException($"'{lines[2]}' is not a base64 SHA-256 root hash");
        return new Checkpoint(lines[0], size, root, lines[3..]);
    }

    public override string ToString() => $"{Origin} @ {Size}: {RootHash}";

    private static bool IsLine(string value) => !value.Any(c => c < 0x20);
}
