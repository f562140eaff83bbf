using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace FactCheck.Storage.Tests;

/// <summary>
/// A loopback TCP relay in front of a database server that counts round trips: each time the client sends after
/// the server answered is one, however many statements, BEGINs or COMMITs the client packed into it. What the client
/// sends before the answer (a message split across writes) counts once.
/// </summary>
internal sealed class RoundTripRelay : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint server;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> pumps = [];
    private int roundTrips;

    private RoundTripRelay(IPEndPoint server)
    {
        this.server = server;
        listener.Start();
        pumps.Add(AcceptAsync());
    }

    public static RoundTripRelay To(string host, int port) => new(new IPEndPoint(IPAddress.Parse(host), port));

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public int RoundTrips => Volatile.Read(ref roundTrips);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                var upstream = new TcpClient { NoDelay = true };
                await upstream.ConnectAsync(server, stop.Token);
                client.NoDelay = true;
                // Set by the server's answer, cleared by the client's next send: a send while it is set starts a round trip.
                var answered = new StrongBox<bool>(true);
                lock (pumps)
                {
                    pumps.Add(PumpAsync(client, upstream, answered, fromClient: true));
                    pumps.Add(PumpAsync(upstream, client, answered, fromClient: false));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The relay stops.
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, StrongBox<bool> answered, bool fromClient)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            using (from)
            using (to)
            {
                while (await from.GetStream().ReadAsync(buffer, stop.Token) is var read and > 0)
                {
                    lock (answered)
                    {
                        if (fromClient && answered.Value) roundTrips++;
                        answered.Value = !fromClient;
                    }
                    await to.GetStream().WriteAsync(buffer.AsMemory(0, read), stop.Token);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // A side closed, or the relay stops.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        Task[] running;
        lock (pumps) running = [.. pumps];
        await Task.WhenAll(running);
        stop.Dispose();
    }
}
