using System.Net;
using System.Net.Http.Headers;
using Egov.Steering.Access;
using Egov.Steering.Audit.V1;
using Egov.Steering.Decisions.V1;
using Egov.Steering.Integration.Tests.Support;
using Egov.Steering.Membership.V1;
using Egov.Steering.Notifications.V1;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.TestSupport;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Egov.Steering.Integration.Tests.Authorization;

/// <summary>
/// Every RPC of every service (from the service descriptors, so a new RPC is covered) called with every kind of token:
/// the expected code of each cell follows from the policy the method declares, and each refusal of a write or admin
/// method is in the audit trail of the service that refused it.
/// </summary>
public sealed partial class AuthorizationMatrixTests(AuthorizationMatrixTests.SharedSystem shared) : IClassFixture<AuthorizationMatrixTests.SharedSystem>
{
    private const string Province = "province-2020-64";

    private static readonly ServiceDescriptor[] Contracts =
        [MembershipService.Descriptor, DecisionsService.Descriptor, NotificationsService.Descriptor, AuditService.Descriptor];

    // The policies in the order of what they allow: a caller allowed one is allowed those before it.
    private static readonly string[] PolicyRanks = [SteeringPolicies.Read, SteeringPolicies.Write, SteeringPolicies.Admin];


    /// <summary>Validly signed tokens that name no caller, and tokens not validly signed: each UNAUTHENTICATED, with its reason.</summary>
    public static TheoryData<string, string, string> TokensThatNameNoCaller => new()
    {
        { "no token", string.Empty, "TOKEN_MISSING" },
        { "expired", Token(issuedAt: DateTime.UtcNow.AddHours(-1)), "TOKEN_EXPIRED" },
        { "wrong key", Token(key: new SymmetricSecurityKey(new byte[32])), "TOKEN_SIGNATURE_INVALID" },
        { "wrong issuer", Token(issuer: "someone-else"), "TOKEN_ISSUER_INVALID" },
        { "wrong audience", Token(audience: "another-service"), "TOKEN_AUDIENCE_INVALID" },
        { "org as array", Token(claims => claims["org"] = new[] { "province-2025-52", "national" }), "TOKEN_CLAIMS_INVALID" },
        { "no org", Token(claims => claims.Remove("org")), "TOKEN_CLAIMS_INVALID" },
        { "empty org", Token(claims => claims["org"] = string.Empty), "TOKEN_CLAIMS_INVALID" },
        { "unknown org", Token(claims => claims["org"] = "province-9999-99"), "TOKEN_CLAIMS_INVALID" },
        { "NATIONAL", Token(claims => claims["org"] = "NATIONAL"), "TOKEN_CLAIMS_INVALID" },
        { "'national '", Token(claims => claims["org"] = "national "), "TOKEN_CLAIMS_INVALID" },
        { "org as number", Token(claims => claims["org"] = 52), "TOKEN_CLAIMS_INVALID" },
        { "no sub", Token(claims => claims.Remove("sub")), "TOKEN_CLAIMS_INVALID" },
        { "blank sub", Token(claims => claims["sub"] = "  "), "TOKEN_CLAIMS_INVALID" },
        { "sub as array", Token(claims => claims["sub"] = new[] { "a", "b" }), "TOKEN_INVALID" }, // the JWT handler cannot read it
        { "sub with NUL", Token(claims => claims["sub"] = "a\0b"), "TOKEN_CLAIMS_INVALID" },
    };

    [Fact]
    public void Every_rpc_of_the_contracts_is_served_and_declares_a_policy()
    {
        var served = shared.Targets.Select(target => target.Method.FullName).ToHashSet();
        var unserved = Contracts.SelectMany(service => service.Methods).Where(method => !served.Contains(method.FullName)).ToList();

        Assert.Empty(unserved);
        Assert.All(shared.Targets, target => Assert.NotNull(target.Policy));
    }

    [Theory]
    [MemberData(nameof(TokensThatNameNoCaller))]
    public async Task Every_rpc_refuses_a_token_that_names_no_caller_as_unauthenticated_and_audits_the_refused_writes(
        string form, string token, string reason)
    {
        var since = DateTime.UtcNow;
        var cells = await CallEveryRpcAsync(token);

        AssertNone(cells.Where(cell => cell.Code != StatusCode.Unauthenticated || cell.Reason != reason), form);
        await AssertRefusalsAuditedAsync(cells, since, form);
    }

    /// <param name="allowed">The strictest policy the caller passes (null: none).</param>
    [Theory]
    [InlineData("read scope", Province, "steering.read", SteeringPolicies.Read)]
    [InlineData("write scope", Province, "steering.write", SteeringPolicies.Write)]
    [InlineData("admin scope of a province", Province, "steering.admin", SteeringPolicies.Write)]
    [InlineData("write scope of the national organisation", "national", "steering.write", SteeringPolicies.Write)]
    [InlineData("admin", "national", "steering.admin", SteeringPolicies.Admin)]
    [InlineData("duplicated scopes", "national", "steering.read steering.read", SteeringPolicies.Read)]
    [InlineData("scope in another case", "national", "STEERING.ADMIN", null)]
    [InlineData("scopes as an array", "national", "steering.read,steering.admin", SteeringPolicies.Admin)]
    [InlineData("no steering scope", "national", "openid profile", null)]
    public async Task Every_rpc_answers_a_caller_as_its_declared_policy_says(string form, string organisation, string scope, string? allowed)
    {
        var token = Token(claims =>
        {
            claims["org"] = organisation;
            claims["scope"] = scope.Contains(',', StringComparison.Ordinal) ? scope.Split(',') : scope;
        });

        var since = DateTime.UtcNow;
        var cells = await CallEveryRpcAsync(token);

        // Allowed: the method ran (whatever it made of the empty request); refused: PERMISSION_DENIED saying what is missing.
        var wrong = cells.Where(cell => Array.IndexOf(PolicyRanks, cell.Target.Policy) > Array.IndexOf(PolicyRanks, allowed)
                ? cell.Code != StatusCode.PermissionDenied || cell.Reason != RefusalReasonOf(cell.Target.Policy!)
                : cell.Code is StatusCode.PermissionDenied or StatusCode.Unauthenticated);
        AssertNone(wrong, form);
        await AssertRefusalsAuditedAsync(cells, since, form);
    }

    [Fact]
    public async Task A_grpc_client_without_a_token_gets_a_grpc_status_with_the_reason_not_an_http_401()
    {
        using var http = new HttpClient(new SocketsHttpHandler());
        using var request = new HttpRequestMessage(
            HttpMethod.Post, new Uri(shared.System.Membership.Address, "/egov.steering.membership.v1.MembershipService/GetCommittee"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(new byte[5]), // one empty, uncompressed message
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("16", Assert.Single(response.Headers.GetValues("grpc-status")));
        Assert.Contains("bearer token is required", Uri.UnescapeDataString(Assert.Single(response.Headers.GetValues("grpc-message"))), StringComparison.Ordinal);
    }

    private static void AssertNone(IEnumerable<Cell> wrong, string form)
    {
        var answers = wrong.Select(cell => $"{cell.Target.Path} ({cell.Target.Policy}) answered {cell.Code} {cell.Reason}").ToList();
        Assert.True(answers.Count == 0, $"{form}:\n{string.Join('\n', answers)}");
    }

    private static string RefusalReasonOf(string policy) => policy switch
    {
        SteeringPolicies.Admin => "ADMIN_REQUIRED",
        SteeringPolicies.Write => "WRITE_SCOPE_REQUIRED",
        _ => "READ_SCOPE_REQUIRED",
    };

    private async Task<List<Cell>> CallEveryRpcAsync(string token)
    {
        using var parallel = new SemaphoreSlim(8);
        return [.. await Task.WhenAll(shared.Targets.Select(async target =>
        {
            await parallel.WaitAsync();
            try
            {
                return await CallAsync(target, token);
            }
            finally
            {
                parallel.Release();
            }
        }))];
    }

    // Each refused call of a write or admin method is one refusal record of the service that refused it.
    private static async Task AssertRefusalsAuditedAsync(List<Cell> cells, DateTime since, string form)
    {
        foreach (var group in cells.GroupBy(cell => cell.Target.Host))
        {
            var audit = new AuditService.AuditServiceClient(group.Key.Channel("national", SteeringScopes.Admin));
            var recorded = new List<AuditRecord>();
            var page = new ListAuditRecordsResponse { NextPageToken = string.Empty };
            do
            {
                page = await audit.ListAuditRecordsAsync(new ListAuditRecordsRequest
                {
                    IncludeRefused = true,
                    PageSize = 500,
                    PageToken = page.NextPageToken,
                    StartTime = Timestamp.FromDateTime(since),
                });
                recorded.AddRange(page.AuditRecords.Where(record => record.Refusal is not null));
            }
            while (page.NextPageToken.Length > 0);

            var expected = group
                .Where(cell => cell.Code is StatusCode.Unauthenticated or StatusCode.PermissionDenied && SteeringPolicies.GuardsMoreThanReading(cell.Target.Policy))
                .Select(cell => $"{cell.Target.Path} {(int)cell.Code} {cell.Reason}")
                .Order()
                .ToList();
            var audited = recorded.Select(record => $"{record.Method} {record.Refusal.Code} {record.Refusal.Reason}").Order().ToList();
            Assert.True(expected.SequenceEqual(audited), $"{form}: refusals expected in the audit trail:\n{string.Join('\n', expected)}\naudited:\n{string.Join('\n', audited)}");
        }
    }

    /// <summary>Calls <paramref name="target"/> with <paramref name="request"/> (an empty message when null).</summary>
    private static async Task<Cell> CallAsync(Target target, string token, IMessage? request = null)
    {
        var method = target.Method;
        request ??= (IMessage)Activator.CreateInstance(method.InputType.ClrType)!;
        var grpcMethod = new Method<IMessage, IMessage>(
            method.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary,
            method.Service.FullName,
            method.Name,
            Marshallers.Create<IMessage>(message => message.ToByteArray(), method.InputType.Parser.ParseFrom),
            Marshallers.Create<IMessage>(message => message.ToByteArray(), method.OutputType.Parser.ParseFrom));
        var headers = new Metadata();
        if (token.Length > 0)
        {
            headers.Add("authorization", $"Bearer {token}");
        }

        var options = new CallOptions(headers, DateTime.UtcNow.AddSeconds(method.IsServerStreaming ? 3 : 30));
        var invoker = target.Channel.CreateCallInvoker();
        try
        {
            if (method.IsServerStreaming)
            {
                using var stream = invoker.AsyncServerStreamingCall(grpcMethod, null, options, request);
                await stream.ResponseStream.MoveNext();
            }
            else
            {
                await invoker.AsyncUnaryCall(grpcMethod, null, options, request);
            }

            return new Cell(target, StatusCode.OK, null);
        }
        catch (RpcException error)
        {
            return new Cell(target, error.StatusCode, error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);
        }
    }

    // Each method of the steering contracts a host maps (from the descriptors of what it serves), with the policy it
    // declares: what the expectations derive from.
    private static List<Target> TargetsOf(IEnumerable<ServiceHost> hosts) =>
    [
        .. from host in hosts
           let channel = host.Channel(bearerToken: null)
           let contracts = host.GrpcServices.Where(service => service.FullName.StartsWith("egov.steering.", StringComparison.Ordinal)).ToList()
           from endpoint in host.Services.GetRequiredService<EndpointDataSource>().Endpoints
           let grpc = endpoint.Metadata.GetMetadata<GrpcMethodMetadata>()
           // A method's JSON/HTTP route carries the same metadata; the matrix calls each method once, over gRPC
           // (tests/AllInOne.Tests/Web checks the HTTP answers are the same).
           where grpc is not null && endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Grpc.JsonTranscoding.GrpcJsonTranscodingMetadata>() is null
           let contract = contracts.Where(service => service.FullName == grpc.Method.ServiceName)
               .Select(service => service.FindMethodByName(grpc.Method.Name))
               .SingleOrDefault()
           where contract is not null
           select new Target(host, channel, contract, SteeringPolicies.DeclaredBy(endpoint)),
    ];

    /// <summary>A development-key token for the national admin, changed by <paramref name="change"/>.</summary>
    private static string Token(
        Action<Dictionary<string, object>>? change = null,
        string issuer = DevelopmentTokens.Issuer,
        string audience = DevelopmentTokens.Audience,
        SecurityKey? key = null,
        DateTime? issuedAt = null)
    {
        var claims = new Dictionary<string, object> { ["sub"] = "matrix", ["org"] = "national", ["scope"] = SteeringScopes.Admin };
        change?.Invoke(claims);
        var issued = issuedAt ?? DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issued,
            NotBefore = issued,
            Expires = issued.AddMinutes(10),
            Claims = claims,
            SigningCredentials = new SigningCredentials(key ?? DevelopmentTokens.Key, SecurityAlgorithms.HmacSha256),
        });
    }

    internal sealed record Target(ServiceHost Host, GrpcChannel Channel, MethodDescriptor Method, string? Policy)
    {
        /// <summary>The method as gRPC names it on the wire (and the audit trail records it).</summary>
        public string Path => $"/{Method.Service.FullName}/{Method.Name}";
    }

    private sealed record Cell(Target Target, StatusCode Code, string? Reason);

    /// <summary>
    /// The three services started once for the whole matrix (on the shared RabbitMQ: their queues are their own),
    /// with a rate limit on refusals high enough that every refusal of the matrix is recorded.
    /// </summary>
    public sealed class SharedSystem : IAsyncLifetime
    {
        private const string RateLimitVariable = "Audit__RefusalBurst";

        public SteeringSystem System { get; private set; } = null!;

        internal List<Target> Targets { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Environment.SetEnvironmentVariable(RateLimitVariable, "1000000");
            try
            {
                System = await SteeringSystem.StartAsync(TestInfrastructure.RabbitMqUri);
            }
            finally
            {
                Environment.SetEnvironmentVariable(RateLimitVariable, null);
            }

            Targets = TargetsOf(System.Hosts);
        }

        public async Task DisposeAsync() => await System.DisposeAsync();
    }
}
