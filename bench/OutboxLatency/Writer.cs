namespace Egov.Steering.OutboxLatency;

/// <summary>Paces commits (each a domain change and its event) and waits until the consumer has every event.</summary>
/// <param name="commit">Commits one change of the committee named; returns its event's id.</param>
public sealed class Writer(Func<string, Task<Guid>> commit, LatencyProbe probe)
{
    public async Task<List<Guid>> SteadyAsync(string committee, int count, int perSecond)
    {
        var ids = new List<Guid>(count);
        using var pace = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / perSecond));
        for (var i = 0; i < count; i++)
        {
            await pace.WaitForNextTickAsync();
            ids.Add(await commit($"committees/{committee}-{i % 16}"));
        }

        await WaitForAllAsync(ids);
        return ids;
    }

    public async Task<List<Guid>> BurstsAsync(string committee, int count, int burst)
    {
        var ids = new List<Guid>(count);
        for (var sent = 0; sent < count; sent += burst)
        {
            var size = Math.Min(burst, count - sent);
            var batches = await Task.WhenAll(Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
            {
                var mine = new List<Guid>();
                for (var i = writer; i < size; i += 4)
                {
                    mine.Add(await commit($"committees/{committee}-{writer}"));
                }

                return mine;
            })));
            ids.AddRange(batches.SelectMany(b => b));
            await WaitForAllAsync(ids);
        }

        return ids;
    }

    private async Task WaitForAllAsync(List<Guid> ids)
    {
        while (!probe.HasAll(ids))
        {
            await Task.Delay(5);
        }
    }
}
