using System.Text.RegularExpressions;
using Google.Protobuf.Reflection;

namespace FactCheck.Cli;

/// <summary>Converts the generated enums to and from their proto names ("DIRECT_QUOTE"), which the seed files
/// and the JSON output use, rather than the C# names ("DirectQuote"); and to and from the words the command line
/// takes ("direct-quote") and the labels people read ("Direct quote"). The one place enum values become text.</summary>
internal static partial class ProtoEnums
{
    private static readonly Dictionary<Type, EnumDescriptor> Descriptors =
        new[] { SpeakersReflection.Descriptor, ClaimsReflection.Descriptor, RelationsReflection.Descriptor, AuditReflection.Descriptor, AdminReflection.Descriptor }
            .SelectMany(file => file.EnumTypes.Concat(file.MessageTypes.SelectMany(message => message.EnumTypes)))
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

    /// <summary>"out-of-context": the value as the command line takes it.</summary>
    public static string Word<T>(T value) where T : struct, Enum => ToWord(Name(value));

    public static IEnumerable<string> Words<T>() where T : struct, Enum => Names<T>().Select(ToWord);

    /// <summary>"Out of context": the value for people to read.</summary>
    public static string Label<T>(T value) where T : struct, Enum
    {
        var words = Name(value).Replace('_', ' ').ToLowerInvariant();
        return char.ToUpperInvariant(words[0]) + words[1..];
    }

    /// <summary>Reads a word, a label or a proto name in any case ("out-of-context", "Out of context",
    /// "OUT_OF_CONTEXT"); never the zero "unspecified" value.</summary>
    public static bool TryParseWord<T>(string text, out T value) where T : struct, Enum =>
        TryParse(Separators().Replace(text.Trim(), "_").ToUpperInvariant(), out value) && Convert.ToInt32(value) != 0;

    private static string ToWord(string name) => name.ToLowerInvariant().Replace('_', '-');

    [GeneratedRegex(@"[\s_-]+")]
    private static partial Regex Separators();
}
