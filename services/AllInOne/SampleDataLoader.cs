using System.Text;
using System.Text.Json.Nodes;
using Egov.Steering.Access;
using Egov.Steering.Decisions.V1;
using Egov.Steering.Documents;
using Egov.Steering.Membership.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Egov.Steering.AllInOne;

/// <summary>
/// Loads SampleData/*.yaml (in file-name order) through the public APIs, exactly as a clerk would: people and posts
/// through MembershipService, then each decision drafted, issued and awaited until Membership applied it, so the
/// register's history comes from real decisions. Every write carries a request_id derived from the sample's key and
/// an existing decision is never re-created, so a restart loads nothing twice.
/// </summary>
public sealed partial class SampleDataLoader(IConfiguration configuration, ILogger<SampleDataLoader> logger)
{
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    public Task LoadAsync(CancellationToken cancellationToken) =>
        LoadAsync(configuration.GrpcAddress(), configuration.GrpcAddress(), cancellationToken);

    /// <summary>The same through Membership and Decisions at addresses of their own (the distributed mode; bench/ViewBench).</summary>
    public async Task LoadAsync(Uri membershipAddress, Uri decisionsAddress, CancellationToken cancellationToken)
    {
        using var membershipChannel = GrpcChannel.ForAddress(membershipAddress);
        using var decisionsChannel = GrpcChannel.ForAddress(decisionsAddress);
        await LoadAsync(membershipChannel, decisionsChannel, _ => true, cancellationToken);
    }

    /// <summary>
    /// Loads the sample files whose name (e.g. "20-gia-lai.yaml") <paramref name="includeFile"/> accepts into the
    /// services behind the channels: the sandbox's one address, or the distributed mode's two.
    /// </summary>
    public async Task LoadAsync(GrpcChannel membershipChannel, GrpcChannel decisionsChannel, Func<string, bool> includeFile, CancellationToken cancellationToken)
    {
        var membership = new MembershipService.MembershipServiceClient(membershipChannel);
        var decisions = new DecisionsService.DecisionsServiceClient(decisionsChannel);
        var admin = Bearer("national", SteeringScopes.All);

        foreach (var file in SampleFiles().Where(file => includeFile(file["SampleData/".Length..])))
        {
            var sample = ReadYaml(file);
            // Person names are assigned by the server: decisions refer to "{person:key}" placeholders.
            var people = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var person in sample["people"]?.AsArray() ?? [])
            {
                var key = person!["key"]!.GetValue<string>();
                var created = await membership.CreatePersonAsync(
                    new CreatePersonRequest { Person = new Person { DisplayName = person["displayName"]!.GetValue<string>() }, RequestId = RequestId("person", key) },
                    admin, cancellationToken: cancellationToken);
                people[key] = created.Name;
            }

            foreach (var post in sample["posts"]?.AsArray() ?? [])
            {
                var id = post!["id"]!.GetValue<string>();
                var request = new CreatePostRequest { Post = ProtoDocuments.Parser.Parse<Post>(Without(post, "id")), PostId = id, RequestId = RequestId("post", id) };
                await IgnoreAlreadyExists(membership.CreatePostAsync(request, admin, cancellationToken: cancellationToken).ResponseAsync);
            }

            foreach (var entry in sample["decisions"]?.AsArray() ?? [])
            {
                var id = entry!["id"]!.GetValue<string>();
                var json = Substitute(entry["decision"]!.ToJsonString(), people);
                await ApplyAsync(decisions, id, ProtoDocuments.Parser.Parse<Decision>(json), cancellationToken);
            }
        }
    }

    private async Task ApplyAsync(DecisionsService.DecisionsServiceClient decisions, string id, Decision draft, CancellationToken cancellationToken)
    {
        // Drafted and issued by the issuer's organisation, which then owns the record.
        var issuer = Bearer(draft.Issuer.Organisation, [SteeringScopes.Read, SteeringScopes.Write]);
        var name = $"decisions/{id}";
        var decision = await FindAsync(decisions, name, issuer, cancellationToken)
            ?? await decisions.CreateDecisionAsync(
                new CreateDecisionRequest { Decision = draft, DecisionId = id, RequestId = RequestId("draft", id) },
                issuer, cancellationToken: cancellationToken);
        if (decision.State == DecisionState.Draft)
        {
            decision = await decisions.IssueDecisionAsync(
                new IssueDecisionRequest { Name = name, Etag = decision.Etag, RequestId = RequestId("issue", id) },
                issuer, cancellationToken: cancellationToken);
        }

        // Membership applies issued decisions from the bus; the next decision may build on this one.
        while (decision.State == DecisionState.Issued)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            decision = await decisions.GetDecisionAsync(new GetDecisionRequest { Name = name }, issuer, cancellationToken: cancellationToken);
        }

        if (decision.State == DecisionState.Rejected)
        {
            throw new InvalidOperationException($"sample decision {name} was rejected: {string.Join("; ", decision.RejectionReasons)}");
        }

        LogApplied(logger, name, decision.State);
    }

    private static async Task<Decision?> FindAsync(DecisionsService.DecisionsServiceClient decisions, string name, Metadata caller, CancellationToken cancellationToken)
    {
        try
        {
            return await decisions.GetDecisionAsync(new GetDecisionRequest { Name = name }, caller, cancellationToken: cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    // A post created by an earlier run whose idempotency record has since been purged.
    private static async Task IgnoreAlreadyExists(Task call)
    {
        try
        {
            await call;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
        {
        }
    }

    private static IEnumerable<string> SampleFiles() =>
        typeof(SampleDataLoader).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith("SampleData/", StringComparison.Ordinal) && name.EndsWith(".yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    private static JsonNode ReadYaml(string resource)
    {
        using var stream = typeof(SampleDataLoader).Assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return ProtoDocuments.ReadYaml(reader);
    }

    private static string Without(JsonNode node, string property)
    {
        var copy = node.DeepClone().AsObject();
        copy.Remove(property);
        return copy.ToJsonString();
    }

    private static string Substitute(string json, IReadOnlyDictionary<string, string> people)
    {
        foreach (var (key, name) in people)
        {
            json = json.Replace($"{{person:{key}}}", name, StringComparison.Ordinal);
        }

        return json.Contains("{person:", StringComparison.Ordinal)
            ? throw new InvalidOperationException($"sample decision refers to an unknown person: {json}")
            : json;
    }

    private static Metadata Bearer(string organisation, IEnumerable<string> scopes) =>
        new() { { "Authorization", "Bearer " + DevelopmentTokens.Mint(organisation, scopes, TokenLifetime) } };

    // A stable UUID per sample write, so the idempotency keys survive restarts.
    private static string RequestId(string kind, string key) => ProtoDocuments.RequestId($"sandbox-sample/{kind}/{key}");

    [LoggerMessage(Level = LogLevel.Information, Message = "Sample decision {Decision}: {State}")]
    private static partial void LogApplied(ILogger logger, string decision, DecisionState state);
}
