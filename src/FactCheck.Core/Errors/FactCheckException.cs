namespace FactCheck.Core.Errors;

/// <summary>A client-visible failure; the server maps each subclass to one gRPC status code.</summary>
public abstract class FactCheckException(string message) : Exception(message)
{
    /// <summary>UPPER_SNAKE reason for google.rpc.ErrorInfo (AIP-193).</summary>
    public abstract string Reason { get; }
}

/// <summary>One bad field, named by its proto path (<c>claim.text</c>).</summary>
public sealed record FieldViolation(string Field, string Description);

public sealed class InvalidArgumentException(IReadOnlyList<FieldViolation> violations)
    : FactCheckException(string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")))
{
    public InvalidArgumentException(string field, string description) : this([new FieldViolation(field, description)]) { }

    public IReadOnlyList<FieldViolation> Violations { get; } = violations;
    public override string Reason => "INVALID_ARGUMENT";
}

/// <summary>A failure about one resource, which the status names (google.rpc.ResourceInfo).</summary>
public abstract class ResourceException(string resourceName, string message) : FactCheckException(message)
{
    public string ResourceName { get; } = resourceName;
}

public sealed class NotFoundException(string resourceName, string? message = null)
    : ResourceException(resourceName, message ?? $"{resourceName} was not found")
{
    public override string Reason => "NOT_FOUND";
}

public sealed class AlreadyExistsException(string resourceName, string message) : ResourceException(resourceName, message)
{
    public override string Reason => "ALREADY_EXISTS";
}

/// <summary>The request is well formed but asks for what the system does not have yet, such as a tree size beyond
/// the audit log's (FAILED_PRECONDITION, with the field as the violation's subject).</summary>
public sealed class FailedPreconditionException(string reason, string field, string description)
    : FactCheckException($"{field}: {description}")
{
    public string Field { get; } = field;
    public string Description { get; } = description;
    public override string Reason { get; } = reason;
}

/// <summary>The caller's etag is stale: someone else changed the resource first (AIP-154: ABORTED).</summary>
public sealed class EtagMismatchException(string resourceName)
    : ResourceException(resourceName, $"{resourceName} was changed since the etag was read; get it again and retry")
{
    public override string Reason => "ETAG_MISMATCH";
}

/// <summary>A store-level lost race on a version number; the domain retries or turns it into <see cref="EtagMismatchException"/>.</summary>
public sealed class VersionConflictException(string resourceName)
    : Exception($"{resourceName} version changed concurrently")
{
    public string ResourceName { get; } = resourceName;
}

/// <summary>No credentials, or unknown or revoked ones.</summary>
public sealed class UnauthenticatedException(string message) : FactCheckException(message)
{
    public override string Reason => "UNAUTHENTICATED";
}

/// <summary>Authenticated, but without the role the method needs.</summary>
public sealed class PermissionDeniedException(string message) : FactCheckException(message)
{
    public override string Reason => "PERMISSION_DENIED";
}
