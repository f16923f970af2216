// Usage: ImageSmoke <grpc address, e.g. http://127.0.0.1:5101> <base64 signing key the service accepts>
// Exit 0 when grpc.health.v1 answers SERVING within the time-out and AuditService.ListAuditRecords answers OK to an
// admin token signed with that key; otherwise prints why and exits 1.
using Egov.Steering.Access;
using Egov.Steering.Audit.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: ImageSmoke <grpc address> <base64 signing key>");
    return 2;
}

using var channel = GrpcChannel.ForAddress(args[0]);
var health = new Health.HealthClient(channel);
var deadline = DateTime.UtcNow.AddSeconds(90);
HealthCheckResponse.Types.ServingStatus? status = null;
while (status != HealthCheckResponse.Types.ServingStatus.Serving && DateTime.UtcNow < deadline)
{
    try
    {
        status = (await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5))).Status;
    }
    catch (RpcException exception)
    {
        status = null;
        Console.Error.WriteLine($"health: {exception.StatusCode} {exception.Status.Detail}");
    }

    if (status != HealthCheckResponse.Types.ServingStatus.Serving)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
    }
}

if (status != HealthCheckResponse.Types.ServingStatus.Serving)
{
    Console.Error.WriteLine($"grpc.health.v1 did not answer SERVING (last: {status?.ToString() ?? "no answer"})");
    return 1;
}

Console.WriteLine("grpc.health.v1: SERVING");

var token = DevelopmentTokens.Mint(
    "national",
    [SteeringScopes.Read, SteeringScopes.Write, SteeringScopes.Admin],
    TimeSpan.FromMinutes(5),
    subject: "image-smoke",
    signingKey: SigningKeys.Parse(args[1]));
try
{
    var records = await new AuditService.AuditServiceClient(channel).ListAuditRecordsAsync(
        new ListAuditRecordsRequest { PageSize = 10 },
        new Metadata { { "authorization", $"Bearer {token}" } },
        deadline: DateTime.UtcNow.AddSeconds(30));
    Console.WriteLine($"AuditService.ListAuditRecords: OK ({records.AuditRecords.Count} records)");
    return 0;
}
catch (RpcException exception)
{
    Console.Error.WriteLine($"AuditService.ListAuditRecords: {exception.StatusCode} {exception.Status.Detail}");
    return 1;
}
