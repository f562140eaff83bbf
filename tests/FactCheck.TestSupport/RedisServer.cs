using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FactCheck.TestSupport;

/// <summary>A real redis-server on a free loopback port, with no persistence, that a test can kill and restart.
/// The binary comes from FACTCHECK_TEST_REDIS_SERVER (set by scripts/test.sh) or PATH.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly int port;
    private Process? process;
    private Socket? heldPort; // while killed: see HoldPort

    private RedisServer(int port) => this.port = port;

    public string ConnectionString => $"127.0.0.1:{port}";
    public IPEndPoint EndPoint => new(IPAddress.Loopback, port);

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(Loopback.FreePort());
        await server.RestartAsync();
        return server;
    }

    public async Task RestartAsync()
    {
        ReleasePort();
        var binary = Environment.GetEnvironmentVariable("FACTCHECK_TEST_REDIS_SERVER") ?? "redis-server";
        var start = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no" })
            start.ArgumentList.Add(arg);
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server not found: run scripts/test.sh, which installs it", e);
        }
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"redis-server exited with code {process.ExitCode} (port {port} taken?)");
            try
            {
                // Our redis-server answers PONG; anything else on this port means the port was taken meanwhile.
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var reply = new byte[7];
                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                var read = await stream.ReadAsync(reply, patience.Token);
                if (System.Text.Encoding.ASCII.GetString(reply, 0, read).StartsWith("+PONG")) return;
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow >= deadline) throw new InvalidOperationException($"redis-server did not answer on port {port}");
            await Task.Delay(20);
        }
    }

    /// <summary>SIGSTOP: Redis hangs, connections stay open and nothing answers (a stalled host, a long pause).</summary>
    public void Pause() => Signals.Send(process!.Id, Signals.Stop);

    /// <summary>SIGCONT after <see cref="Pause"/>: Redis runs the commands that queued up meanwhile.</summary>
    public void Resume() => Signals.Send(process!.Id, Signals.Continue);

    /// <summary>SIGKILL, as when Redis crashes or its host goes away.</summary>
    public void Kill()
    {
        if (process is null || process.HasExited) return;
        process.Kill();
        process.WaitForExit();
        HoldPort();
    }

    /// <summary>
    /// Keeps a killed server's port from every other listener until it restarts. Once the dead server's TIME_WAIT
    /// sockets expire (about 60 s after the kill) the kernel may hand the port to any listener asking for port 0, such
    /// as another test's Redis or proxy, and then a client's outage ends against a stranger. The port is bound but not
    /// listened on, so clients are still refused as by a dead host; the kernel skips a bound port when it picks one for
    /// port 0. .NET binds with SO_REUSEADDR, so this works beside the dead server's TIME_WAIT sockets; setting
    /// ReuseAddress would add SO_REUSEPORT, which lets a listener share the port.
    /// </summary>
    private void HoldPort()
    {
        heldPort = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        heldPort.Bind(EndPoint);
    }

    private void ReleasePort()
    {
        heldPort?.Dispose();
        heldPort = null;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        ReleasePort();
        process?.Dispose();
        return ValueTask.CompletedTask;
    }
}
