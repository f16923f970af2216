using Egov.Steering.Membership.V1;
using Egov.Steering.TestSupport;
using Grpc.Core;
using Npgsql;

namespace Egov.Steering.Membership.Tests.Grpc;

/// <summary>
/// Reads while the service's PostgreSQL is stopped: each call ends, within its deadline (the client's, or the
/// service's default when it sent none) plus a margin, as UNAVAILABLE or DEADLINE_EXCEEDED; never a hang, INTERNAL or
/// UNKNOWN. Before, a call without a deadline waited through every retry of the database (about 15 s).
/// </summary>
public sealed class DatabaseFaultTests
{
    private static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan ClientDeadline = TimeSpan.FromSeconds(2);

    // Only catches a hang: how fast a call fails is not what is tested.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Reads_while_PostgreSQL_is_stopped_end_unavailable_within_their_deadline()
    {
        var port = TestInfrastructure.FreePort();
        const string name = "membership-stopped-under-reads";
        await TestInfrastructure.StartOwnAsync(InfrastructureKind.Postgres, name, port);
        var server = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
        var database = $"membership_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var service = new PrivateDatabaseMembership(new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString);
        try
        {
            await service.InitializeAsync();
            var reader = service.Client(MembershipApiHost.GiaLai2025);
            await reader.GetCommitteeAsync(new GetCommitteeRequest { Name = "committees/bcd-gia-lai-2025" }, deadline: DateTime.UtcNow.AddMinutes(1));

            using var reading = new CancellationTokenSource();
            var underReads = Task.Run(async () =>
            {
                var outcomes = new List<StatusCode>();
                for (var i = 0; !reading.IsCancellationRequested; i++)
                {
                    outcomes.Add(await ReadAsync(reader, withDeadline: i % 2 == 0));
                }

                return outcomes;
            });
            await TestInfrastructure.StopOwnAsync(InfrastructureKind.Postgres, name);

            var whileStopped = new List<StatusCode>();
            for (var i = 0; i < 6; i++)
            {
                whileStopped.Add(await ReadAsync(reader, withDeadline: i % 2 == 0));
            }

            await reading.CancelAsync();
            Assert.All(await underReads, code => Assert.Contains(code, new[] { StatusCode.OK, StatusCode.Unavailable, StatusCode.DeadlineExceeded }));
            Assert.All(whileStopped, code => Assert.Contains(code, new[] { StatusCode.Unavailable, StatusCode.DeadlineExceeded }));

            await TestInfrastructure.StartOwnAsync(InfrastructureKind.Postgres, name, port);
            await Eventually.WaitUntilAsync(async () => await ReadAsync(reader, withDeadline: false) == StatusCode.OK, "reads succeed once PostgreSQL is back");
        }
        finally
        {
            try
            {
                await service.DisposeAsync();
            }
            finally
            {
                // Even when the service never started: a private server left running blocks the next run's start.
                await TestInfrastructure.StopOwnAsync(InfrastructureKind.Postgres, name);
            }
        }
    }

    /// <summary>One read; fails the test if the call is still running its deadline plus the margin after it began.</summary>
    private static async Task<StatusCode> ReadAsync(MembershipService.MembershipServiceClient reader, bool withDeadline)
    {
        var deadline = withDeadline ? ClientDeadline : DefaultDeadline;
        var request = new ListMembershipsRequest { Parent = "committees/bcd-gia-lai-2025" };
        var call = withDeadline ? reader.ListMembershipsAsync(request, deadline: DateTime.UtcNow + deadline) : reader.ListMembershipsAsync(request);
        try
        {
            await call.ResponseAsync.WaitAsync(deadline + Margin);
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    /// <summary>
    /// The Membership API on a PostgreSQL of this test's own (which it stops), with a short default deadline, served by
    /// Kestrel: a deadline the server enforces ends the HTTP/2 stream, which only a real connection reports as the status.
    /// </summary>
    private sealed class PrivateDatabaseMembership(string database) : MembershipApiHost(new Dictionary<string, string?>
    {
        ["ConnectionStrings:Database"] = database,
        ["Hosting:GrpcPort"] = TestInfrastructure.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Hosting:HttpPort"] = TestInfrastructure.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Hosting:DefaultCallDeadline"] = DefaultDeadline.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
    });
}
