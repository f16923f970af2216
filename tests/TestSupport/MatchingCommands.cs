using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Egov.Steering.TestSupport;

/// <summary>
/// Counts the commands whose text matches, run by the contexts of a host that takes it as an <see cref="IInterceptor"/>:
/// what a background loop or a handler did, read from the statements it sent.
/// </summary>
public sealed class MatchingCommands(Func<string, bool> matches) : DbCommandInterceptor
{
    private int count;

    public int Count => Volatile.Read(ref count);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (matches(command.CommandText))
        {
            Interlocked.Increment(ref count);
        }

        return ValueTask.FromResult(result);
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
