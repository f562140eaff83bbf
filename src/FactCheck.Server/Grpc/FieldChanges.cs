using System.Text.Json;
using Google.Protobuf;

namespace FactCheck.Server.Grpc;

/// <summary>What changed between two versions of a message, field by field, with the fields named and written as the
/// API names and writes them (proto field names, protobuf JSON values), so a diff reads like an update mask.</summary>
internal static class FieldChanges
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));

    /// <summary>The fields whose values differ, in field-number order; a missing message has no field set.</summary>
    public static IEnumerable<Proto.FieldChange> Between<T>(T? before, T? after, IReadOnlySet<string> ignored) where T : class, IMessage<T>, new()
    {
        var old = Fields(before);
        var now = Fields(after);
        foreach (var field in new T().Descriptor.Fields.InFieldNumberOrder().Select(f => f.Name).Where(name => !ignored.Contains(name)))
        {
            var was = old.GetValueOrDefault(field, "");
            var @is = now.GetValueOrDefault(field, "");
            if (was != @is) yield return new Proto.FieldChange { Field = field, BeforeJson = was, AfterJson = @is };
        }
    }

    /// <summary>Each set field's value as JSON (protobuf JSON leaves out fields at their default, which is "unset").</summary>
    private static Dictionary<string, string> Fields(IMessage? message)
    {
        if (message is null) return [];
        using var json = JsonDocument.Parse(Formatter.Format(message));
        return json.RootElement.EnumerateObject().ToDictionary(property => property.Name, property => property.Value.GetRawText());
    }
}
