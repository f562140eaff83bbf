using FactCheck.Transparency.Notes;

namespace FactCheck.Transparency.Tests.Notes;

public sealed class SigningKeyFileTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"factcheck-keys-{Guid.NewGuid():N}");

    private string KeyPath => Path.Combine(directory, "keys", "audit-log.key");

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task The_first_start_creates_an_owner_only_key_file_and_later_starts_load_the_same_key()
    {
        await Task.Yield();
        var (created, wasCreated) = SigningKeyFile.LoadOrCreate(KeyPath, "factcheck.example/audit");
        using (created)
        {
            Assert.True(wasCreated);
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));
            Assert.StartsWith("PRIVATE+KEY+factcheck.example/audit+", await File.ReadAllTextAsync(KeyPath));

            var (loaded, loadedWasCreated) = SigningKeyFile.LoadOrCreate(KeyPath, "factcheck.example/audit");
            using (loaded)
            {
                Assert.False(loadedWasCreated);
                Assert.Equal(created.Verifier.VerifierKey, loaded.Verifier.VerifierKey);
            }
        }
        Assert.Equal(["audit-log.key", "audit-log.key.lock"], Directory.GetFiles(Path.GetDirectoryName(KeyPath)!).Select(Path.GetFileName).Order());
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task A_key_file_written_by_Go_loads()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(KeyPath)!);
        await File.WriteAllTextAsync(KeyPath, GoNoteVectors.PeterSignerKey + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead);
        var (signer, created) = SigningKeyFile.LoadOrCreate(KeyPath, "PeterNeumann");
        using (signer)
        {
            Assert.False(created);
            Assert.Equal(GoNoteVectors.PeterVerifierKey, signer.Verifier.VerifierKey);
        }
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task A_key_others_can_read_is_refused()
    {
        if (OperatingSystem.IsWindows()) return; // Unix file modes only
        Directory.CreateDirectory(Path.GetDirectoryName(KeyPath)!);
        await File.WriteAllTextAsync(KeyPath, GoNoteVectors.PeterSignerKey + "\n");
        File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var error = Assert.Throws<InvalidOperationException>(() => SigningKeyFile.LoadOrCreate(KeyPath, "PeterNeumann"));
        Assert.Contains("chmod 600", error.Message);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task A_key_of_another_name_or_a_file_that_is_no_key_is_refused()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(KeyPath)!);
        await File.WriteAllTextAsync(KeyPath, GoNoteVectors.PeterSignerKey + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Contains("named PeterNeumann", Assert.Throws<InvalidOperationException>(() => SigningKeyFile.LoadOrCreate(KeyPath, "factcheck.example/audit")).Message);

        await File.WriteAllTextAsync(KeyPath, "not a key\n");
        Assert.Contains(KeyPath, Assert.Throws<FormatException>(() => SigningKeyFile.LoadOrCreate(KeyPath, "PeterNeumann")).Message);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Processes_starting_together_end_up_with_one_key()
    {
        var starts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => SigningKeyFile.LoadOrCreate(KeyPath, "factcheck.example/audit"))));
        try
        {
            Assert.Single(starts, start => start.Created);
            Assert.Single(starts.Select(start => start.Signer.Verifier.VerifierKey).Distinct());
        }
        finally
        {
            foreach (var start in starts) start.Signer.Dispose();
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }
}
