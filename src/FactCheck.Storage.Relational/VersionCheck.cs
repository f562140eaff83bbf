namespace FactCheck.Storage.Relational;

/// <summary>
/// Checks the row a write transaction read to change, locked by <see cref="SqlDialect.ForUpdate"/> (or by writers
/// being serialized whole) so that nothing changes it before the caller's UPDATE: a missing row is NOT_FOUND, another
/// version a conflict. A concurrent change of the same row waits, then sees the new version, so of two writers
/// expecting one version exactly one wins. The row read is also the audit event's Before.
/// </summary>
public static class VersionCheck
{
    /// <summary>The one row of <paramref name="rows"/>; no version check when <paramref name="expectedVersion"/> is null.</summary>
    public static Sequenced<T> Checked<T>(IReadOnlyList<Sequenced<T>> rows, Func<T, long> version, long? expectedVersion, string resourceName)
    {
        if (rows.Count == 0) throw new NotFoundException(resourceName);
        if (expectedVersion is { } expected && version(rows[0].Item) != expected) throw new VersionConflictException(resourceName);
        return rows[0];
    }
}
