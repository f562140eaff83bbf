using FactCheck.Core.Errors;
using Google.Protobuf.WellKnownTypes;

namespace FactCheck.Server.Grpc;

/// <summary>AIP-134 field masks: a non-empty list of known paths, or "*" for every updatable field.</summary>
internal static class UpdateMasks
{
    public static IReadOnlyList<string> Resolve(FieldMask? mask, IReadOnlySet<string> updatable)
    {
        if (mask is null || mask.Paths.Count == 0)
            throw new InvalidArgumentException("update_mask", $"required: the fields to change, from {string.Join(", ", updatable.Order())} (or *)");
        if (mask.Paths is ["*"]) return updatable.Order().ToList();
        var unknown = mask.Paths.Where(p => !updatable.Contains(p)).Take(10).ToList();
        if (unknown.Count > 0)
            throw new InvalidArgumentException(unknown.Select(p => new FieldViolation("update_mask",
                $"'{Core.ResourceNames.Truncate(p)}' is not an updatable field; use {string.Join(", ", updatable.Order())}")).ToList());
        return mask.Paths.Distinct().ToList();
    }
}
