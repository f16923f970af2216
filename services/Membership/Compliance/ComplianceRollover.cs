using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Membership.Compliance;

/// <summary>
/// Changes with a future effective date take effect at midnight in Vietnam: the views roll over by themselves (they
/// are cached per as-of date), compliance does not. This re-evaluates every committee at start-up (catching up on
/// days the service was down) and after each midnight; flips emit ComplianceChanged and the views they touch are
/// invalidated. Replicas may all run it: the committee version is the concurrency token, a loser retries and finds
/// nothing left to flip.
/// </summary>
public sealed partial class ComplianceRollover(IServiceScopeFactory scopes, MembershipClock clock, ILogger<ComplianceRollover> logger)
    : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = clock.NextMidnight;
            try
            {
                await RecomputeAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(e);
                next = clock.Time.GetUtcNow() + RetryDelay;
            }

            var wait = next - clock.Time.GetUtcNow();
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, clock.Time, stoppingToken);
        }
    }

    /// <summary>One re-evaluation of every committee in its own transaction.</summary>
    public async Task RecomputeAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MembershipDbContext>();
            var recalculator = scope.ServiceProvider.GetRequiredService<ComplianceRecalculator>();
            try
            {
                await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
                {
                    db.ChangeTracker.Clear();
                    await using var transaction = await db.Database.BeginTransactionAsync(ct);
                    var flipped = await recalculator.RecomputeAllAsync(ct);
                    await db.SaveChangesAsync(ct);
                    await transaction.CommitAsync(ct);
                    LogRecomputed(flipped.Count);
                }, cancellationToken);
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                // Another replica (or a decision) changed a committee meanwhile: evaluate again on fresh data.
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Compliance re-evaluated as of today: {Flipped} committees changed status")]
    private partial void LogRecomputed(int flipped);

    [LoggerMessage(LogLevel.Warning, "Compliance rollover failed; retrying in a minute")]
    private partial void LogFailed(Exception exception);
}
