using Egov.Steering.Access;
using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.Membership.Tests.Data;
using Egov.Steering.Membership.Tests.Domain;
using Egov.Steering.Membership.UseCases;
using Egov.Steering.ReferenceData;
using Egov.Steering.ServiceDefaults.Auth;

namespace Egov.Steering.Membership.Tests.UseCases;

/// <summary>
/// The use cases without gRPC: each built by hand over its own unit of work on an SQLite register holding the
/// scenario's people and posts, called as a national admin unless a test says otherwise.
/// </summary>
internal sealed class UseCaseDatabase : IAsyncDisposable
{
    public static readonly Caller Admin = new("tester", Organisations.National, [SteeringScopes.Admin]);

    private readonly MembershipDatabase database;

    private UseCaseDatabase(MembershipDatabase database) => this.database = database;

    public static async Task<UseCaseDatabase> CreateAsync()
    {
        var database = await MembershipDatabase.CreateAsync("Sqlite");
        await using var db = database.NewContext();
        var scenario = new Scenario();
        db.Posts.AddRange(scenario.Register.Posts);
        db.People.AddRange(scenario.Register.People);
        await db.SaveChangesAsync();
        return new UseCaseDatabase(database);
    }

    public MembershipDbContext NewContext() => database.NewContext();

    public CommitteeUseCases Committees(MembershipDbContext db, Caller? caller = null)
    {
        var clock = new MembershipClock(TimeProvider.System);
        return new CommitteeUseCases(db, new RegisterAccess(db, new RegisterStore(db, clock), clock), caller ?? Admin, clock);
    }

    public PostUseCases Posts(MembershipDbContext db, Caller? caller = null)
    {
        var clock = new MembershipClock(TimeProvider.System);
        return new PostUseCases(db, new RegisterAccess(db, new RegisterStore(db, clock), clock), caller ?? Admin, clock);
    }

    public async Task<DecisionOutcome> ApplyAsync(DecisionToApply decision)
    {
        await using var db = NewContext();
        var outcome = await new RegisterStore(db, new MembershipClock(TimeProvider.System)).ApplyAsync(decision);
        Assert.True(outcome.Result == DecisionResult.Applied, string.Join("; ", outcome.Problems));
        await db.SaveChangesAsync();
        return outcome;
    }

    public ValueTask DisposeAsync() => database.DisposeAsync();
}
