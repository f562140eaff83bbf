namespace FactCheck.Cli;

/// <summary>A one-line progress bar on stderr, drawn only when stderr is a terminal (never into a file or pipe).
/// <see cref="Clear"/> it before printing a line; <see cref="Draw"/> puts it back.</summary>
internal sealed class ProgressBar : IDisposable
{
    private const int Width = 30;
    private readonly int total;
    private readonly string label;
    private readonly bool enabled;
    private int done;
    private bool drawn;

    public ProgressBar(int total, string label)
    {
        (this.total, this.label) = (total, label);
        enabled = total > 0 && !Console.IsErrorRedirected;
        Draw();
    }

    public void Advance()
    {
        done++;
        Draw();
    }

    public void Draw()
    {
        if (!enabled) return;
        var filled = done * Width / total;
        Console.Error.Write($"\r{label} [{new string('#', filled)}{new string('.', Width - filled)}] {done}/{total}");
        drawn = true;
    }

    public void Clear()
    {
        if (!drawn) return;
        Console.Error.Write("\r\u001b[2K"); // back to the line's start, erase it
        drawn = false;
    }

    public void Dispose() => Clear();
}
