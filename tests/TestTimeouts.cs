using System.Reflection;

namespace FactCheck.Testing;

/// <summary>
/// Every test has a timeout. xunit 2 enforces one only on a test that returns a task, and only once the method has
/// returned it, so a test with nothing to await runs its body on the thread pool (<c>Task.Run</c>): a hang there
/// fails that test when its time is up, where a synchronous body would stall the run until the hang watchdog in
/// scripts/test.sh kills it.
/// </summary>
public static class TestTimeouts
{
    /// <summary>In-memory code.</summary>
    public const int Unit = 10_000;

    /// <summary>A real database, Redis or the sentence model.</summary>
    public const int Store = 60_000;

    /// <summary>A whole server, in this process or another.</summary>
    public const int Server = 120_000;

    /// <summary>The tests of an assembly that do not return a task or have no timeout.</summary>
    public static IEnumerable<string> Missing(Assembly assembly) =>
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
        let test = method.GetCustomAttribute<FactAttribute>()
        where test is not null && (test.Timeout <= 0 || !typeof(Task).IsAssignableFrom(method.ReturnType))
        select $"{type.FullName}.{method.Name}";
}

public sealed class EveryTestHasATimeout
{
    [Fact(Timeout = TestTimeouts.Unit)]
    public Task InThisAssembly() => Task.Run(() => Assert.Empty(TestTimeouts.Missing(typeof(EveryTestHasATimeout).Assembly)));
}
