using System.Net;
using System.Net.Sockets;

namespace FactCheck.TestSupport;

/// <summary>
/// A TCP forwarder on a free loopback port that a test can cut: while it is blackholed nothing crosses in either
/// direction and new connections hang, as in a network partition. Nothing is dropped: what was sent meanwhile
/// arrives once the partition heals, as TCP retransmission would deliver it.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint target;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<TcpClient> connections = [];
    private readonly Task accepting;
    private TaskCompletionSource open = Opened();

    public TcpProxy(IPEndPoint target)
    {
        this.target = target;
        listener.Start();
        accepting = AcceptAsync();
    }

    /// <summary>host:port of the proxy, for a client's connection string.</summary>
    public string Endpoint => $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

    public void Blackhole()
    {
        lock (connections)
            if (open.Task.IsCompleted) open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Heal()
    {
        lock (connections) open.TrySetResult();
    }

    private Task Passable
    {
        get { lock (connections) return open.Task; }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(stopping.Token);
                _ = ForwardAsync(client);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        lock (connections)
        {
            connections.Add(client);
            connections.Add(upstream);
        }
        try
        {
            await Passable.WaitAsync(stopping.Token);
            await upstream.ConnectAsync(target, stopping.Token);
            await Task.WhenAny(PumpAsync(client.GetStream(), upstream.GetStream()), PumpAsync(upstream.GetStream(), client.GetStream()));
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                await Passable.WaitAsync(stopping.Token);
                var read = await from.ReadAsync(buffer, stopping.Token);
                if (read == 0) return;
                // Read before the cut, delivered after it heals.
                await Passable.WaitAsync(stopping.Token);
                await to.WriteAsync(buffer.AsMemory(0, read), stopping.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static TaskCompletionSource Opened()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        lock (connections)
            foreach (var connection in connections) connection.Dispose();
        await accepting;
        stopping.Dispose();
    }
}
