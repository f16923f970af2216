using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Egov.Steering.TestSupport;

/// <summary>
/// Counts the commands whose text matches (reads and writes alike), run by the contexts of a host that takes it as an
/// <see cref="IInterceptor"/>: what a background loop or a handler did, read from the statements it sent.
/// </summary>
public sealed class MatchingCommands(Func<string, int> matchesIn) : BeforeEachCommand
{
    private int count;

    public MatchingCommands(Func<string, bool> matches)
        : this(text => matches(text) ? 1 : 0)
    {
    }

    public int Count => Volatile.Read(ref count);

    /// <summary>Counts each occurrence of <paramref name="statement"/> in a command: EF batches a save's statements into one command.</summary>
    public static MatchingCommands Statements(string statement) =>
        new(text => text.Split(statement, StringSplitOptions.None).Length - 1);

    protected override Task BeforeAsync(DbCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        Interlocked.Add(ref count, matchesIn(command.CommandText));
        return Task.CompletedTask;
    }

    /// <summary>Returns once no matching command has run for a second (within a minute).</summary>
    public async Task SettledAsync()
    {
        for (var second = 0; second < 60; second++)
        {
            var last = Count;
            await Task.Delay(TimeSpan.FromSeconds(1));
            if (Count == last)
            {
                return;
            }
        }

        throw new TimeoutException("matching commands kept running for a minute");
    }
}
