using Google.Protobuf.Reflection;
using Core = FactCheck.Core;
using Proto = FactCheck.V1;

namespace FactCheck.IntegrationTests;

/// <summary>
/// The services map domain enums to proto enums and back by casting (<c>(Proto.QuoteMatchKind)match.Kind</c>), so each
/// pair must agree value for value: same number, same name. A proto's zero is its UNSPECIFIED sentinel (AIP-126); the
/// domain's zero, where it has one, means the same and may be called Unspecified or None.
/// </summary>
public sealed class EnumAlignmentTests
{
    private static readonly (Type Domain, Type Proto)[] CastPairs =
    [
        (typeof(Core.Claims.AttributionKind), typeof(Proto.AttributionKind)),
        (typeof(Core.Claims.VerificationStatus), typeof(Proto.VerificationStatus)),
        (typeof(Core.Speakers.SpeakerKind), typeof(Proto.SpeakerKind)),
        (typeof(Core.Speakers.NameMatchKind), typeof(Proto.MatchKind)),
        (typeof(Core.Verification.MatchKind), typeof(Proto.QuoteMatchKind)),
        (typeof(Core.Verification.Verdict), typeof(Proto.VerifyAttributionResponse.Types.Verdict)),
        (typeof(Core.Reviews.ReviewVerdict), typeof(Proto.Review.Types.Verdict)),
        (typeof(Core.Verification.ReasonCode), typeof(Proto.ReasonCode)),
        (typeof(Core.Relations.RelationKind), typeof(Proto.ClaimRelation.Types.Kind)),
        (typeof(Core.Relations.RelationState), typeof(Proto.ClaimRelation.Types.State)),
    ];

    /// <summary>Proto enums with no domain counterpart, and why. ClaimView: how much of a claim GetClaim returns, a wire
    /// option the service reads, not a property of anything the domain holds.</summary>
    private static readonly Type[] ProtoOnly = [typeof(Proto.ClaimView)];

    /// <summary>Roles are flags (admin holds every role), so AdminGrpcService maps them by name, not by number.</summary>
    private static readonly (Type Domain, Type Proto) NamePair = (typeof(Core.Access.Roles), typeof(Proto.AccessRole));

    public static TheoryData<Type, Type> Pairs()
    {
        var data = new TheoryData<Type, Type>();
        foreach (var (domain, proto) in CastPairs) data.Add(domain, proto);
        return data;
    }

    [Theory(Timeout = TestTimeouts.Unit)]
    [MemberData(nameof(Pairs))]
    public Task EveryValueHasTheSameNumberAndNameOnBothSides(Type domain, Type proto) => Task.Run(() =>
    {
        var domainValues = Values(domain);
        var protoValues = Values(proto);
        foreach (var number in domainValues.Keys.Union(protoValues.Keys).Where(n => n != 0))
        {
            Assert.True(domainValues.TryGetValue(number, out var domainName), $"{proto.Name} has {protoValues[number]} = {number}; {domain.FullName} has no {number}");
            Assert.True(protoValues.TryGetValue(number, out var protoName), $"{domain.FullName} has {domainName} = {number}; {proto.FullName} has no {number}");
            Assert.Equal(protoName, domainName);
        }
        Assert.Equal("Unspecified", protoValues[0]);
        if (domainValues.TryGetValue(0, out var zero)) Assert.Contains(zero, new[] { "Unspecified", "None" });
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task EachAccessRoleIsARoleOfTheSameName() => Task.Run(() =>
    {
        var roles = Values(NamePair.Domain).Where(v => v.Key != 0).Select(v => v.Value).Order();
        var accessRoles = Values(NamePair.Proto).Where(v => v.Key != 0).Select(v => v.Value).Order();
        Assert.Equal(roles, accessRoles);
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task EveryProtoEnumHasItsDomainCounterpartChecked() => Task.Run(() =>
    {
        var files = new[]
        {
            Proto.SpeakersReflection.Descriptor, Proto.ClaimsReflection.Descriptor, Proto.RelationsReflection.Descriptor, Proto.AuditReflection.Descriptor,
            Proto.AdminReflection.Descriptor,
        };
        var checkedTypes = CastPairs.Select(p => p.Proto).Append(NamePair.Proto).Concat(ProtoOnly).ToHashSet();
        var missing = files.SelectMany(AllEnums).Select(e => e.ClrType).Where(t => !checkedTypes.Contains(t)).Select(t => t.FullName).ToList();
        Assert.True(missing.Count == 0, $"add these proto enums to a pair above (or explain why they have none): {string.Join(", ", missing)}");
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task EveryDomainEnumIsPaired() => Task.Run(() =>
    {
        var paired = CastPairs.Select(p => p.Domain).Append(NamePair.Domain).ToHashSet();
        var unpaired = typeof(Core.ResourceNames).Assembly.GetExportedTypes().Where(t => t.IsEnum && !paired.Contains(t)).Select(t => t.FullName).ToList();
        Assert.True(unpaired.Count == 0, $"add these domain enums to a pair above: {string.Join(", ", unpaired)}");
    });

    private static Dictionary<int, string> Values(Type enumType) =>
        Enum.GetValues(enumType).Cast<Enum>().ToDictionary(Convert.ToInt32, value => value.ToString());

    private static IEnumerable<EnumDescriptor> AllEnums(FileDescriptor file) =>
        file.EnumTypes.Concat(file.MessageTypes.SelectMany(AllEnums));

    private static IEnumerable<EnumDescriptor> AllEnums(MessageDescriptor message) =>
        message.EnumTypes.Concat(message.NestedTypes.SelectMany(AllEnums));
}
