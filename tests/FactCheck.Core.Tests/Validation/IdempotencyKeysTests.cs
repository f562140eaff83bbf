using FactCheck.Core.Errors;
using FactCheck.Core.Validation;

namespace FactCheck.Core.Tests.Validation;

public sealed class IdempotencyKeysTests
{
    private static readonly byte[] Body = [1, 2, 3];

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task NoRequestIdMeansNoKey() => Task.Run(() => Assert.Null(IdempotencyKeys.For("", Body)));

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task TheSameBodyGivesTheSameFingerprintAndAnotherBodyAnother() => Task.Run(() =>
    {
        var key = IdempotencyKeys.For("req-1", Body);

        Assert.Equal(key, IdempotencyKeys.For("req-1", [1, 2, 3]));
        Assert.NotEqual(key!.Fingerprint, IdempotencyKeys.For("req-1", [1, 2, 4])!.Fingerprint);
        Assert.Equal("req-1", key.RequestId);
    });

    [Theory(Timeout = TestTimeouts.Unit)]
    [InlineData(129, "")]
    [InlineData(10, "\n")]
    public Task AnOverlongIdOrOneWithControlCharactersIsRefusedNamingTheField(int length, string tail) => Task.Run(() =>
    {
        var e = Assert.Throws<InvalidArgumentException>(() => IdempotencyKeys.For(new string('a', length) + tail, Body));
        Assert.Equal("request_id", Assert.Single(e.Violations).Field);
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task AnIdOfTheMaximumLengthIsAccepted() => Task.Run(() => Assert.NotNull(IdempotencyKeys.For(new string('a', Limits.RequestIdLength), Body)));
}
