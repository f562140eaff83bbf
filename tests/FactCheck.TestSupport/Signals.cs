using System.Runtime.InteropServices;

namespace FactCheck.TestSupport;

/// <summary>POSIX signals to processes the tests started (.NET itself only sends SIGKILL, through Process.Kill).</summary>
public static class Signals
{
    // Linux numbers (x86-64 and arm64 alike).
    public const int Term = 15;
    public const int Continue = 18;
    public const int Stop = 19;

    public static void Send(int processId, int signal)
    {
        if (Kill(processId, signal) != 0)
            throw new InvalidOperationException($"kill({processId}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
