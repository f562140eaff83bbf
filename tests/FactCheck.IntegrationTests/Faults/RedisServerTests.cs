using System.Net.Sockets;

namespace FactCheck.IntegrationTests.Faults;

/// <summary>While the drills' Redis is killed it behaves as a dead host, and nothing else can take its place.</summary>
public sealed class RedisServerTests
{
    /// <summary>Allocations for port 0 tried while the port is held. The kernel picks among about 7,000 to 14,000
    /// ports here, so a port nothing holds comes up 3 to 6 times in this many (13 in 60,000 measured on this machine).</summary>
    private const int Allocations = 40_000;

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task AKilledRedisRefusesClientsAndNoListenerGetsItsPortUntilItRestarts()
    {
        await using var redis = await RedisServer.StartAsync();
        redis.Kill();

        using (var client = new TcpClient())
        {
            var refused = await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(redis.EndPoint));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }
        var handedOut = Enumerable.Range(0, Allocations).Count(_ => Loopback.FreePort() == redis.EndPoint.Port);
        Assert.True(handedOut == 0, $"the killed server's port was handed out {handedOut} times in {Allocations:N0} allocations for port 0");

        await redis.RestartAsync(); // throws unless our redis-server answers PONG on the port
    }
}
