using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace FactCheck.Semantics.Index;

/// <summary>
/// Full-precision vectors by index slot, for re-ranking the few candidates the binary scan finds. The index calls
/// <see cref="Write"/> and <see cref="Move"/> under its write lock and <see cref="Read"/> under its read lock.
/// </summary>
public interface IRescoreVectors
{
    void Write(int slot, ReadOnlySpan<float> vector);

    void Read(int slot, Span<float> destination);

    void Move(int from, int to);
}

/// <summary>Vectors in the process heap: simplest and fastest, for small indexes (tests, a few thousand claims).</summary>
public sealed class HeapRescoreVectors(int dimensions) : IRescoreVectors
{
    private float[] data = new float[dimensions * 1024];

    public void Write(int slot, ReadOnlySpan<float> vector)
    {
        while ((slot + 1) * dimensions > data.Length) Array.Resize(ref data, data.Length * 2);
        vector.CopyTo(data.AsSpan(slot * dimensions, dimensions));
    }

    public void Read(int slot, Span<float> destination) => data.AsSpan(slot * dimensions, dimensions).CopyTo(destination);

    public void Move(int from, int to) => data.AsSpan(from * dimensions, dimensions).CopyTo(data.AsSpan(to * dimensions, dimensions));
}

/// <summary>
/// Vectors as half-precision floats in a file (768 bytes a vector for 384 dimensions), read with positioned reads:
/// the operating system's page cache keeps the hot ones, so a million vectors do not sit in the serving process's
/// heap. Half precision changes cosines by about 1e-3, far below any threshold's resolution. The file is scratch
/// space rebuilt with the index (the vectors of record are in the store).
/// </summary>
public sealed class FileRescoreVectors : IRescoreVectors, IDisposable
{
    private readonly int dimensions;
    private readonly SafeFileHandle file;

    public FileRescoreVectors(string path, int dimensions)
    {
        this.dimensions = dimensions;
        file = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
    }

    private int RowBytes => dimensions * sizeof(ushort);

    public void Write(int slot, ReadOnlySpan<float> vector)
    {
        var row = new Half[dimensions];
        for (var i = 0; i < dimensions; i++) row[i] = (Half)vector[i];
        RandomAccess.Write(file, MemoryMarshal.AsBytes(row.AsSpan()), (long)slot * RowBytes);
    }

    public void Read(int slot, Span<float> destination)
    {
        Span<Half> row = stackalloc Half[dimensions];
        var read = RandomAccess.Read(file, MemoryMarshal.AsBytes(row), (long)slot * RowBytes);
        if (read != RowBytes) throw new InvalidOperationException($"vector slot {slot} is not in the file");
        for (var i = 0; i < dimensions; i++) destination[i] = (float)row[i];
    }

    public void Move(int from, int to)
    {
        var row = new byte[RowBytes];
        RandomAccess.Read(file, row, (long)from * RowBytes);
        RandomAccess.Write(file, row, (long)to * RowBytes);
    }

    public void Dispose() => file.Dispose();
}
