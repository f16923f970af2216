namespace Egov.Steering.BuildingBlocks.Tests.Messaging;

/// <summary>Waits for an asynchronous outcome; the deadline only stops a broken run, it is not what is tested.</summary>
public static class Eventually
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"still waiting after {Deadline}: {what}");
            }

            await Task.Delay(50);
        }
    }

    public static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);
}
