using FactCheck.Transparency.Notes;

namespace FactCheck.Transparency.Verification;

/// <summary>
/// Keeps the newest checkpoint it has verified in a directory, and accepts a later one only if it extends it, so a
/// log that shows a rewritten or forked history after a witness saw the old one is caught. The first checkpoint seen
/// is trusted as it is (pin the key, and save a checkpoint early). One process per directory.
/// </summary>
public sealed class Witness(string directory, LogVerifier verifier)
{
    /// <summary>The file, in the directory, that holds the newest verified checkpoint as signed.</summary>
    public const string CheckpointFileName = "checkpoint";

    private string CheckpointPath => Path.Combine(directory, CheckpointFileName);

    /// <summary>The newest checkpoint verified so far, its signature checked again; null before the first.</summary>
    public SignedCheckpoint? Trusted() =>
        File.Exists(CheckpointPath) ? verifier.Open(File.ReadAllBytes(CheckpointPath)) : null;

    /// <summary>
    /// Checks that <paramref name="latest"/> extends the trusted checkpoint, and keeps it when it is newer. A checkpoint
    /// that does not extend it is kept beside it as evidence ("rejected-…"), since two signed checkpoints that are
    /// inconsistent prove that the log misbehaved, and the failure is thrown.
    /// </summary>
    /// <returns>The checkpoint now trusted.</returns>
    public async Task<SignedCheckpoint> ObserveAsync(SignedCheckpoint latest, ConsistencyProofSource proofs, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var trusted = Trusted();
        if (trusted is not null)
        {
            try
            {
                await LogVerifier.VerifyExtendsAsync(trusted.Checkpoint, latest.Checkpoint, proofs, cancellationToken);
            }
            catch (LogVerificationException)
            {
                await File.WriteAllBytesAsync(Path.Combine(directory, $"rejected-{DateTime.UtcNow:yyyyMMdd'T'HHmmssfff'Z'}-{latest.Checkpoint.Size}.note"), latest.Note, cancellationToken);
                throw;
            }
            if (latest.Checkpoint.Size == trusted.Checkpoint.Size) return trusted;
        }
        // Replaced whole by a rename, so a crash never leaves half a checkpoint.
        var temporary = CheckpointPath + ".tmp";
        await File.WriteAllBytesAsync(temporary, latest.Note, cancellationToken);
        File.Move(temporary, CheckpointPath, overwrite: true);
        return latest;
    }
}
