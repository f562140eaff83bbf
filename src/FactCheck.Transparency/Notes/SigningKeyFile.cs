namespace FactCheck.Transparency.Notes;

/// <summary>
/// The log's signing key, kept in a file outside the database (whoever can write the database must not be able to
/// sign for it): created with a new random key on first start, loaded afterwards. The file holds the Go signer key
/// text (<see cref="NoteSigner.ExportSignerKey"/>) and a newline, and only its owner may read or write it (0600).
/// </summary>
public static class SigningKeyFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>How long to wait for another process that is creating the key.</summary>
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Loads the key at <paramref name="path"/>, or creates one named <paramref name="name"/> there when there
    /// is no file. Processes starting together on one host create one key between them: creation holds an exclusive
    /// lock on "<paramref name="path"/>.lock" (left in place), and the key file appears whole, by a rename.</summary>
    /// <returns>The signer, and whether this call created it (then print its verifier key for clients to pin).</returns>
    /// <exception cref="InvalidOperationException">When the file holds a key of another name, or others than its
    /// owner may access it.</exception>
    /// <exception cref="FormatException">When the file does not hold a signer key.</exception>
    public static (NoteSigner Signer, bool Created) LoadOrCreate(string path, string name)
    {
        path = Path.GetFullPath(path);
        if (File.Exists(path)) return (Load(path, name), false);
        var directory = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
        else Directory.CreateDirectory(directory, OwnerOnly | UnixFileMode.UserExecute);

        using var creating = Lock(path + ".lock");
        if (File.Exists(path)) return (Load(path, name), false);
        var signer = NoteSigner.Generate(name);
        try
        {
            Write(signer, path);
            return (signer, true);
        }
        catch
        {
            signer.Dispose();
            throw;
        }
    }

    private static NoteSigner Load(string path, string name)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOthers) != 0)
        {
            throw new InvalidOperationException($"the audit log signing key {path} can be accessed by other users than its owner: chmod 600 it");
        }
        NoteSigner signer;
        try
        {
            signer = NoteSigner.Parse(File.ReadAllText(path).TrimEnd('\n'));
        }
        catch (FormatException e)
        {
            throw new FormatException($"{path} does not hold an audit log signing key: {e.Message}", e);
        }
        if (signer.Name != name)
        {
            signer.Dispose();
            throw new InvalidOperationException($"the signing key in {path} is named {signer.Name}, not {name}: a log keeps its name");
        }
        return signer;
    }

    private static FileStream Lock(string lockPath)
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(lockPath, options);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    /// <summary>Writes the key to a private temporary file, then renames it into place, so no reader sees part of it.</summary>
    private static void Write(NoteSigner signer, string path)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
            using (var file = new FileStream(temporary, options))
            using (var writer = new StreamWriter(file))
            {
                writer.Write(signer.ExportSignerKey() + "\n");
                writer.Flush();
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
