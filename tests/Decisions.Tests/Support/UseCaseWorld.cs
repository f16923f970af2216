using Egov.Steering.Access;
using Egov.Steering.Decisions.Data;
using Egov.Steering.Decisions.Domain;
using Egov.Steering.Decisions.Grpc;
using Egov.Steering.Decisions.UseCases;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Validation;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Egov.Steering.Decisions.Tests.Support;

/// <summary>
/// The use cases as a host would build them for one request, without gRPC: a SQLite database of its own in memory
/// and Membership answered by <see cref="StubMembershipChecks"/>. Each <see cref="Drafts"/>/<see cref="Issuing"/>
/// call site gets a fresh context, as requests do.
/// </summary>
internal sealed class UseCaseWorld : IDisposable
{
    public static readonly Caller GiaLaiWriter = new("gia-lai-system", Support.Drafts.GiaLai, [SteeringScopes.Write]);

    private readonly SqliteConnection connection = new("Data Source=:memory:");

    public UseCaseWorld()
    {
        connection.Open();
        using var db = Context();
        db.Database.EnsureCreated();
    }

    public StubMembershipChecks Membership { get; } = new();

    public DecisionDrafts Drafts(Caller? caller = null, IInterceptor? interceptor = null) =>
        new(Context(interceptor), caller ?? GiaLaiWriter, TimeProvider.System);

    public DecisionIssuing Issuing(Caller? caller = null)
    {
        var db = Context();
        return new DecisionIssuing(db, caller ?? GiaLaiWriter, new DecisionValidation(db, Membership), TimeProvider.System);
    }

    public DecisionQueries Queries()
    {
        var db = Context();
        return new DecisionQueries(db, new DecisionValidation(db, Membership));
    }

    /// <summary>Gia Lai's consolidation, read as CreateDecision reads it.</summary>
    public static DecisionDraft GiaLaiConsolidation(string number = "337/QĐ-UBND") =>
        DecisionInput.Read(new RequestValidator(), "decision", Support.Drafts.GiaLaiConsolidation(number))!;

    /// <param name="interceptor">Sees the context's commands: a test's way to act between a use case's steps.</param>
    public DecisionsDbContext Context(IInterceptor? interceptor = null)
    {
        var options = new DbContextOptionsBuilder<DecisionsDbContext>().UseSqlite(connection).UseSnakeCaseNamingConvention();
        return new(interceptor is null ? options.Options : options.AddInterceptors(interceptor).Options);
    }

    public void Dispose() => connection.Dispose();
}

/// <summary>Membership's checks answered in process: the problems a test sets, and Gia Lai's committee as the route.</summary>
internal sealed class StubMembershipChecks : IMembershipChecks
{
    public List<Problem> Problems { get; } = [];

    public int Calls { get; private set; }

    public Task<MembershipVerdict> CheckAsync(Decision decision, CancellationToken cancellationToken)
    {
        Calls++;
        var route = new EventRoute(decision.SubjectCommittees.FirstOrDefault() ?? string.Empty, CommitteeLevel.Province, Support.Drafts.GiaLai);
        return Task.FromResult(new MembershipVerdict(Problems.ToList(), route));
    }
}
