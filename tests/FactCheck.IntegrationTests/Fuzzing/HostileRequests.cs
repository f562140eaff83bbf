using System.Text;
using CsCheck;
using FactCheck.V1;
using Google.Api;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace FactCheck.IntegrationTests.Fuzzing;

/// <summary>One generated request: a gRPC call with a raw body (for client streams, one body per message), or a JSON
/// route call; <see cref="ToString"/> is what a failure prints to replay it by hand.</summary>
public sealed record FuzzRequest(MethodDescriptor Method, IReadOnlyList<byte[]> Bodies, bool Anonymous, JsonCall? Json)
{
    public override string ToString() => Json is { } json
        ? $"{json.Verb} {json.Path}{(Anonymous ? " (no key)" : "")}\n{Truncated(json.Body ?? "")}"
        : $"/{Method.Service.FullName}/{Method.Name}{(Anonymous ? " (no key)" : "")} bodies: "
          + string.Join(", ", Bodies.Select(Hex));

    private static string Truncated(string text) => text.Length <= 600 ? text : $"{text[..600]}… ({text.Length} chars)";

    /// <summary>The first 300 bytes only: a shrinking run's report once ran out of memory hex-encoding whole bodies.</summary>
    private static string Hex(byte[] body) =>
        body.Length <= 300 ? Convert.ToHexString(body) : $"{Convert.ToHexString(body.AsSpan(0, 300))}… ({body.Length} bytes)";
}

/// <summary>A JSON route call; <paramref name="Template"/> is the route it was made from (the path is generated).</summary>
public sealed record JsonCall(string Verb, string Template, string Path, string? Body);

/// <summary>
/// CsCheck generators of hostile requests for every RPC of protos/factcheck/v1, built from the message descriptors so
/// a new RPC or field is fuzzed without a change here. Well-typed messages carry hostile field values (NaN and
/// infinities, limits ±1, negative and huge sizes, bad and foreign resource names, page tokens of other RPCs, bad field
/// masks, invalid dates and timestamps, long strings, unknown enum numbers, huge repeated fields); raw bodies are
/// random bytes, truncated and bit-flipped valid messages, and invalid UTF-8 in a string field.
/// </summary>
public sealed class HostileRequests(IReadOnlyList<string> knownNames, IReadOnlyList<string> pageTokens)
{
    public static readonly IReadOnlyList<ServiceDescriptor> Services =
    [
        .. AdminReflection.Descriptor.Services,
        .. AuditReflection.Descriptor.Services,
        .. ClaimsReflection.Descriptor.Services,
        .. RelationsReflection.Descriptor.Services,
        .. SpeakersReflection.Descriptor.Services,
    ];

    public static IEnumerable<MethodDescriptor> Methods => Services.SelectMany(s => s.Methods);

    /// <summary>Every HTTP binding of every method: (method, verb, path template, body field).</summary>
    public static IEnumerable<(MethodDescriptor Method, string Verb, string Template, string Body)> Routes =>
        from method in Methods
        let rule = method.GetOptions()?.GetExtension(AnnotationsExtensions.Http)
        where rule is not null
        from binding in new[] { rule }.Concat(rule.AdditionalBindings)
        select (method, binding.PatternCase.ToString().ToUpperInvariant(), PathOf(binding), binding.Body);

    private const int MaxDepth = 3;

    // Documented limits (page sizes cap at 1000, batch gets at 1000, …) and the integer edges, each ±1.
    private static readonly long[] Integers =
        [0, 1, -1, 2, 49, 50, 51, 999, 1000, 1001, 4999, 5000, 5001, 10_000, int.MaxValue, int.MinValue, uint.MaxValue, long.MaxValue, long.MinValue];

    private static readonly double[] Doubles =
        [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0, 1, -1, 1.0000001, -1e-300, 0.5, double.Epsilon, double.MaxValue, double.MinValue];

    private static readonly string[] HostileStrings =
    [
        "", " ", "*", "-", "claims/", "speakers/", "claims/*", "claims/-", "claims/../speakers/1", "claims//x", "speakers/%00",
        "claims/\0", "auditEvents/", "auditEvents/-1", "auditEvents/99999999999999999999", "apiKeys/", "claims/x/relations/",
        "claims/1/relations/2", "auditLog/checkpoint", "auditLog/other", "\u202Eevil", "😀", "\uFFFF", "\uD800x",
        "' OR 1=1 --", "%s%s%n", "null", "NaN", "-1", "1e999", "en", "xx-INVALID", "zh-Hant-TW", "https://", "javascript:alert(1)",
        "display_name", "text,speaker", "claim.text", "*", "etag", "W/\"x\"", "\"0\"",
    ];

    private readonly Gen<string> strings = Gen.Frequency(
        (6, Gen.OneOf(HostileStrings)),
        (4, Gen.OneOf(knownNames.ToArray())),
        (3, Gen.OneOf(pageTokens.ToArray())),
        (2, Gen.String[0, 40]),
        (1, Gen.OneOf(255, 256, 1024, 1025, 4096, 70_000).Select(n => new string('x', n))),
        (1, Gen.OneOf("claims/", "speakers/", "auditEvents/", "apiKeys/").SelectMany(collection => Gen.String[1, 12].Select(id => collection + id))));

    /// <summary>A request for any method: over gRPC (three in four) or its JSON route.</summary>
    public Gen<FuzzRequest> Request()
    {
        // Built once per method and route: a generator is a tree of closures, cheap to run and dear to build.
        var grpc = Methods.Select(Grpc).ToArray();
        var json = Routes.Select(route => Json(route.Method, route.Verb, route.Template, route.Body)).ToArray();
        return Gen.Frequency((3, Gen.Int[0, grpc.Length - 1].SelectMany(i => grpc[i])), (1, Gen.Int[0, json.Length - 1].SelectMany(i => json[i])));
    }

    private Gen<FuzzRequest> Grpc(MethodDescriptor method)
    {
        var count = method.IsClientStreaming ? Gen.Int[0, 3] : Gen.Const(1);
        return from bodies in Body(method.InputType).Array[count]
               from anonymous in Gen.Int[0, 19].Select(i => i == 0)
               select new FuzzRequest(method, bodies, anonymous, null);
    }

    private Gen<byte[]> Body(MessageDescriptor type)
    {
        var valid = Message(type, 0).Select(m => m.ToByteArray());
        return Gen.Frequency(
            (6, valid),
            (1, Gen.Byte.Array[0, 64]),
            (1, valid.SelectMany(bytes => Gen.Int[0, Math.Max(0, bytes.Length - 1)].Select(n => bytes[..n]))),
            (1, valid.SelectMany(bytes => Gen.Int[0, Math.Max(1, bytes.Length * 8) - 1].Array[1, 4].Select(bits => Flipped(bytes, bits)))),
            // Field 1..15, length-delimited, holding c3 28 (invalid UTF-8); or a 4 GB length prefix.
            (1, Gen.Int[1, 15].Select(field => new byte[] { (byte)(field << 3 | 2), 2, 0xc3, 0x28 })),
            (1, Gen.Int[1, 15].Select(field => new byte[] { (byte)(field << 3 | 2), 0xff, 0xff, 0xff, 0xff, 0x0f })));
    }

    private static byte[] Flipped(byte[] bytes, int[] bits)
    {
        var copy = bytes.Length == 0 ? new byte[1] : (byte[])bytes.Clone();
        foreach (var bit in bits) copy[bit / 8 % copy.Length] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    private Gen<FuzzRequest> Json(MethodDescriptor method, string verb, string template, string body) =>
        from message in Message(method.InputType, 0)
        from values in strings.Array[4]
        from mangle in Gen.Int[0, 5]
        from anonymous in Gen.Int[0, 19].Select(i => i == 0)
        select new FuzzRequest(method, [], anonymous, new JsonCall(verb, template, Path(template, values, message, verb, body), JsonBody(message, body, mangle)));

    /// <summary>The path with each template variable replaced by a generated string, and, when there is no body, the
    /// message's top-level fields as query parameters.</summary>
    private static string Path(string template, string[] values, IMessage message, string verb, string body)
    {
        var path = new StringBuilder();
        var next = 0;
        foreach (var part in template.Split('{'))
        {
            var close = part.IndexOf('}');
            if (close < 0)
            {
                path.Append(part);
                continue;
            }
            // A known name keeps its slashes (it matches the route); anything else is escaped.
            var value = values[next++ % values.Length];
            path.Append(value.Contains('/') && !value.Contains("..") ? string.Join('/', value.Split('/').Select(Uri.EscapeDataString)) : Uri.EscapeDataString(value));
            path.Append(part[(close + 1)..]);
        }
        if (body == "*") return path.ToString();
        var query = new List<string>();
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.FieldType == FieldType.Message || field.IsRepeated || field.IsMap) continue;
            var value = field.Accessor.GetValue(message);
            if (value is null || Equals(value, field.FieldType switch { FieldType.String => "", FieldType.Bool => false, _ => value is System.Enum ? value : Convert.ChangeType(0, value.GetType()) })) continue;
            query.Add($"{field.JsonName}={Uri.EscapeDataString(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "")}");
        }
        return query.Count == 0 ? path.ToString() : $"{path}?{string.Join('&', query)}";
    }

    private static string? JsonBody(IMessage message, string body, int mangle)
    {
        if (string.IsNullOrEmpty(body)) return null;
        IMessage? part = body == "*" ? message : message.Descriptor.FindFieldByName(body)?.Accessor.GetValue(message) as IMessage;
        string json;
        try
        {
            json = JsonFormatter.Default.Format(part ?? message);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // Timestamps outside their range and lone surrogates have no JSON form: send what a careless client would.
            json = "{\"publishTime\": \"10000-01-01T00:00:00Z\", \"saidOn\": {\"month\": 13}}";
        }
        return mangle switch
        {
            0 => json[..(json.Length / 2)],
            1 => json.Replace("\"", "", StringComparison.Ordinal),
            2 => "[" + json + "]",
            3 => json.Replace(":", ": [1, {\"a\": null}], \"x\":", StringComparison.Ordinal),
            _ => json,
        };
    }

    private static string PathOf(HttpRule rule) => rule.PatternCase switch
    {
        HttpRule.PatternOneofCase.Get => rule.Get,
        HttpRule.PatternOneofCase.Post => rule.Post,
        HttpRule.PatternOneofCase.Patch => rule.Patch,
        HttpRule.PatternOneofCase.Put => rule.Put,
        HttpRule.PatternOneofCase.Delete => rule.Delete,
        _ => rule.Custom.Path,
    };

    /// <summary>A message of the type, each field set or not; below <see cref="MaxDepth"/> nested messages stay unset.
    /// Lists inside a list item stay short (<paramref name="inList"/>): long lists of long lists made ImportClaims bodies
    /// of up to 1.1 GB (30,000 requests: 12 GB and 109 s to build, against 132 MB, 8 MB at most, and 3 s now), which
    /// stalled a loaded run and tell the server nothing a body over its 4 MB limit does not.</summary>
    private Gen<IMessage> Message(MessageDescriptor type, int depth, bool inList = false)
    {
        var setters = type.Fields.InFieldNumberOrder()
            .Where(field => !field.IsMap && (field.FieldType != FieldType.Message || depth < MaxDepth))
            .Select(field => Gen.Frequency((3, Gen.Const<Action<IMessage>>(_ => { })), (2, Setter(field, depth, inList))))
            .ToList();
        var start = Gen.Const<IReadOnlyList<Action<IMessage>>>([]);
        var all = setters.Aggregate(start, (list, setter) => list.SelectMany(done => setter.Select(next => (IReadOnlyList<Action<IMessage>>)[.. done, next])));
        return all.Select(actions =>
        {
            var message = type.Parser.ParseFrom(ByteString.Empty);
            foreach (var set in actions) set(message);
            return message;
        });
    }

    private Gen<Action<IMessage>> Setter(FieldDescriptor field, int depth, bool inList)
    {
        var value = Value(field, depth, inList || field.IsRepeated);
        if (!field.IsRepeated) return value.Select<object, Action<IMessage>>(v => m => field.Accessor.SetValue(m, v));
        var count = inList ? Gen.Int[0, 3] : Gen.Frequency((20, Gen.Int[0, 3]), (1, Gen.OneOf(999, 1000, 1001, 2000)));
        return value.Array[count].Select<object[], Action<IMessage>>(items => m =>
        {
            var list = (System.Collections.IList)field.Accessor.GetValue(m);
            foreach (var item in items) list.Add(item);
        });
    }

    private Gen<object> Value(FieldDescriptor field, int depth, bool inList) => field.FieldType switch
    {
        FieldType.String => strings.Select(s => (object)s),
        FieldType.Bytes => Gen.Byte.Array[0, 40].Select(b => (object)ByteString.CopyFrom(b)),
        FieldType.Bool => Gen.Bool.Select(b => (object)b),
        FieldType.Double => Gen.Frequency((4, Gen.OneOf(Doubles)), (1, Gen.Double)).Select(d => (object)d),
        FieldType.Float => Gen.Frequency((4, Gen.OneOf(Doubles)), (1, Gen.Double)).Select(d => (object)(float)d),
        FieldType.Enum => Gen.Int[-2, 20].Select(i => System.Enum.ToObject(field.EnumType.ClrType, i)),
        FieldType.Message => Nested(field.MessageType, depth + 1, inList),
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => Integer().Select(i => (object)unchecked((int)i)),
        FieldType.UInt32 or FieldType.Fixed32 => Integer().Select(i => (object)unchecked((uint)i)),
        FieldType.UInt64 or FieldType.Fixed64 => Integer().Select(i => (object)unchecked((ulong)i)),
        _ => Integer().Select(i => (object)i),
    };

    private static Gen<long> Integer() => Gen.Frequency((4, Gen.OneOf(Integers)), (1, Gen.Long));

    private Gen<object> Nested(MessageDescriptor type, int depth, bool inList)
    {
        if (type.FullName == FieldMask.Descriptor.FullName)
        {
            var paths = Gen.OneOf("text", "speaker", "display_name", "attribution_confidence", "said_on", "name", "etag", "claim.text",
                "*", "", "TEXT", "text.x", "appearances", "no_such_field");
            return paths.Array[0, 4].Select(p => (object)new FieldMask { Paths = { p } });
        }
        if (type.FullName == Timestamp.Descriptor.FullName)
        {
            return from seconds in Gen.OneOf(0L, -62135596801L, -62135596800L, 253402300799L, 253402300800L, long.MaxValue, long.MinValue, 1733203500L)
                   from nanos in Gen.OneOf(0, -1, 999_999_999, 1_000_000_000, int.MinValue)
                   select (object)new Timestamp { Seconds = seconds, Nanos = nanos };
        }
        if (type.FullName == Google.Type.Date.Descriptor.FullName)
        {
            return from year in Gen.OneOf(0, -1, 1, 1900, 2024, 9999, 10_000, int.MaxValue)
                   from month in Gen.OneOf(0, 1, 2, 12, 13, -1)
                   from day in Gen.OneOf(0, 1, 28, 29, 30, 31, 32, -1)
                   select (object)new Google.Type.Date { Year = year, Month = month, Day = day };
        }
        return Message(type, depth, inList).Select(m => (object)m);
    }
}
