namespace FactCheck.Core.Storage;

/// <summary>
/// A failure of the database behind a store. Stores translate their driver's exceptions into these (the driver's
/// is kept as InnerException, for the log), so nothing above a store depends on its driver.
/// </summary>
public class StoreException(string message, Exception? innerException) : Exception(message, innerException);

/// <summary>The database cannot be reached, or refused for lack of resources; a later retry may succeed.</summary>
public sealed class StoreUnavailableException(string message, Exception? innerException) : StoreException(message, innerException);

/// <summary>Other writers held the database or the rows too long (a lock wait ran out, a deadlock or serialization
/// failure was broken); a retry may succeed.</summary>
public sealed class StoreBusyException(string message, Exception? innerException) : StoreException(message, innerException);

/// <summary>A write broke a uniqueness or reference constraint, named by <see cref="Constraint"/> as the database
/// reports it (a constraint or index name, or table.column).</summary>
public sealed class StoreConflictException(string message, string? constraint, Exception? innerException)
    : StoreException(message, innerException)
{
    public string? Constraint { get; } = constraint;
}
