using FactCheck.V1;
using Google.Protobuf.Reflection;

namespace FactCheck.Cli;

/// <summary>Converts the generated enums to and from their proto names ("DIRECT_QUOTE"), which the seed files
/// and the JSON output use, rather than the C# names ("DirectQuote").</summary>
internal static class ProtoEnums
{
    private static readonly Dictionary<Type, EnumDescriptor> Descriptors =
        new[] { SpeakersReflection.Descriptor, ClaimsReflection.Descriptor }
            .SelectMany(file => file.EnumTypes)
            .ToDictionary(e => e.ClrType);

    public static string Name<T>(T value) where T : struct, Enum =>
        Descriptors[typeof(T)].FindValueByNumber(Convert.ToInt32(value))?.Name ?? value.ToString();

    public static bool TryParse<T>(string name, out T value) where T : struct, Enum
    {
        var match = Descriptors[typeof(T)].FindValueByName(name);
        value = match is null ? default : (T)Enum.ToObject(typeof(T), match.Number);
        return match is not null;
    }

    /// <summary>The values a user may give: all but the zero "unspecified" one.</summary>
    public static IEnumerable<string> Names<T>() where T : struct, Enum =>
        Descriptors[typeof(T)].Values.Where(v => v.Number != 0).Select(v => v.Name);
}
