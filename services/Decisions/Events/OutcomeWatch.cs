using System.Diagnostics.Metrics;
using Egov.Steering.Decisions.Data;
using Egov.Steering.Decisions.Domain;
using Egov.Steering.ServiceDefaults.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Egov.Steering.Decisions.Events;

/// <summary>
/// Reports decisions that stay ISSUED without Membership's outcome longer than <c>Decisions:OutcomeTimeout</c>: a
/// lost or stuck event must not leave a decision silently hanging. Each check logs every overdue decision and sets
/// the gauge <c>steering.decisions.outcome_overdue</c>.
/// </summary>
internal sealed partial class OutcomeWatch : PeriodicBackgroundService
{
    public const string MeterName = "Egov.Steering.Decisions";
    public const string OverdueInstrument = "steering.decisions.outcome_overdue";

    private readonly IServiceScopeFactory scopes;
    private readonly IOptions<DecisionsOptions> options;
    private readonly ILogger<OutcomeWatch> logger;
    private long overdue;

    public OutcomeWatch(
        IServiceScopeFactory scopes, IOptions<DecisionsOptions> options, TimeProvider time, IMeterFactory meters, ILogger<OutcomeWatch> logger)
        : base(time)
    {
        this.scopes = scopes;
        this.options = options;
        this.logger = logger;
        meters.Create(MeterName).CreateObservableGauge(OverdueInstrument, () => Interlocked.Read(ref overdue), "{decision}",
            "Decisions ISSUED longer than Decisions:OutcomeTimeout without Membership's outcome");
    }

    /// <summary>Finds the overdue decisions now, logs them and updates the gauge; returns their names.</summary>
    public async Task<IReadOnlyList<string>> CheckAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        var issuedBefore = now - options.Value.OutcomeTimeout;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DecisionsDbContext>();
        var late = await db.Decisions.AsNoTracking()
            .Where(d => d.State == DecisionState.Issued && d.OutcomeTime == null && d.IssueTime < issuedBefore)
            .OrderBy(d => d.IssueTime)
            .Select(d => new { d.Id, d.IssueTime })
            .ToListAsync(cancellationToken);
        foreach (var decision in late)
        {
            LogOverdue(Decision.NameOf(decision.Id), decision.IssueTime!.Value, options.Value.OutcomeTimeout);
        }

        Interlocked.Exchange(ref overdue, late.Count);
        return late.Select(d => Decision.NameOf(d.Id)).ToList();
    }

    protected override TimeSpan Interval => options.Value.OutcomeCheckInterval;

    protected override Task RunPassAsync(CancellationToken cancellationToken) => CheckAsync(cancellationToken);

    protected override void OnPassFailed(Exception exception) => LogCheckFailed(exception);

    [LoggerMessage(LogLevel.Warning, "{Decision} was issued at {IssueTime:O} and has no outcome from Membership after {Timeout}")]
    private partial void LogOverdue(string decision, DateTime issueTime, TimeSpan timeout);

    [LoggerMessage(LogLevel.Error, "The overdue-outcome check failed; it runs again at the next interval")]
    private partial void LogCheckFailed(Exception exception);
}
