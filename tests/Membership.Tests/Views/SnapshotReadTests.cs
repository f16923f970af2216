using System.Collections.Concurrent;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.Membership.Tests.Grpc;
using Egov.Steering.Membership.V1;
using Grpc.Core;
using Person = Egov.Steering.Membership.Domain.Person;
using static Egov.Steering.Membership.Tests.Domain.Scenario;
using static Egov.Steering.Membership.Tests.Grpc.MembershipApiHost;

namespace Egov.Steering.Membership.Tests.Views;

/// <summary>
/// Views read while decisions are applied, on PostgreSQL. A committee is loaded by one query per collection; outside a
/// snapshot, a membership committed between the memberships' and the role periods' queries arrives in the second only,
/// and EF then hands the other memberships no role periods at all (GetCommitteeView failed INTERNAL in RolesOn).
/// </summary>
public sealed class SnapshotReadTests(MembershipApiHost host) : IClassFixture<MembershipApiHost>
{
    private const int OverlappingReads = 600;
    private const int MostDecisions = 400;
    private const int Readers = 4;

    [Fact]
    public async Task Views_read_while_decisions_are_applied_never_fail()
    {
        var committees = new[] { "bcd-da-nang", "bcd-gia-lai-2025" };
        await host.WithDbAsync(db =>
        {
            db.People.AddRange(Enumerable.Range(0, MostDecisions).Select(i => new Person($"race-{i}", $"Thành viên {i}")));
            return db.SaveChangesAsync();
        });
        var reader = host.Client(Admin);
        var failures = new ConcurrentBag<StatusCode>();
        var overlapping = 0;
        var applied = 0;
        using var writing = new CancellationTokenSource();

        var writer = Task.Run(async () =>
        {
            try
            {
                for (var i = 0; i < MostDecisions && Volatile.Read(ref overlapping) < OverlappingReads; i++)
                {
                    var committee = committees[i % committees.Length];
                    await host.ApplyAsync(Decision($"qd-race-{i}", D(2025, 8, 1), Admin,
                        new Appoint("changes[0].appoint", null, committee, Seat(PersonSeat($"race-{i}"), MembershipRole.Member))));
                    Interlocked.Increment(ref applied);
                }
            }
            finally
            {
                await writing.CancelAsync();
            }
        });
        var readers = Enumerable.Range(0, Readers).Select(index => Task.Run(async () =>
        {
            // A different date each time: each read builds its view from the database instead of the cache.
            for (var read = index; !writing.IsCancellationRequested; read += Readers)
            {
                var date = new DateOnly(2025, 8, 2).AddDays(read % 480);
                var asOf = CommitteeApiTests.Day(date.Year, date.Month, date.Day);
                try
                {
                    if (read % 3 == 0)
                    {
                        await reader.GetNationalOverviewAsync(new GetNationalOverviewRequest { AsOf = asOf });
                    }
                    else
                    {
                        await reader.GetCommitteeViewAsync(new GetCommitteeViewRequest { Committee = "committees/" + committees[read % 2], AsOf = asOf });
                    }
                }
                catch (RpcException e)
                {
                    failures.Add(e.StatusCode);
                }

                if (!writing.IsCancellationRequested)
                {
                    Interlocked.Increment(ref overlapping);
                }
            }
        })).ToList();
        await writer;
        await Task.WhenAll(readers);

        Assert.True(overlapping >= OverlappingReads, $"only {overlapping} reads overlapped {applied} applies");
        Assert.Empty(failures);
    }
}
