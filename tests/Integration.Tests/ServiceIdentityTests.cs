using Egov.Steering.Access;
using Egov.Steering.Integration.Tests.Support;
using Egov.Steering.Membership.V1;
using Egov.Steering.TestSupport;
using Egov.Steering.Types.V1;
using Grpc.Core;
using static Egov.Steering.Integration.Tests.Support.GiaLai;

namespace Egov.Steering.Integration.Tests;

/// <summary>
/// The services over TLS with certificates of one authority, Membership asking callers for theirs (mutual TLS,
/// <c>Allow</c>): Decisions calls the service-only PreviewChanges as the Decisions service, by its certificate, while
/// an end user's token alone, or another service's certificate, is refused.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class ServiceIdentityTests(SuiteBroker broker) : IAsyncLifetime
{
    private const string DecisionsIdentity = "egov-steering-decisions";

    private readonly TestCertificates authority = new("steering-services-ca");
    private SteeringSystem system = null!;

    public async Task InitializeAsync() => system = await SteeringSystem.StartAsync(broker.Uri, configure: Tls);

    public async Task DisposeAsync()
    {
        await system.DisposeAsync();
        authority.Dispose();
    }

    [Fact]
    public async Task Decisions_validates_and_issues_through_membership_as_the_decisions_service()
    {
        var gialai = new GiaLai(system);
        var vo = await gialai.PersonAsync("Võ Ngọc Thành"); // a ministry's system: a token, no client certificate

        var draft = await gialai.CreateAsync(Founding(vo));
        var validation = await gialai.Decisions.ValidateDecisionAsync(new Decisions.V1.ValidateDecisionRequest { Name = draft.Name });
        Assert.Empty(validation.Problems);
        var issued = await gialai.Decisions.IssueDecisionAsync(new Decisions.V1.IssueDecisionRequest { Name = draft.Name, Etag = draft.Etag });
        await gialai.OutcomeAsync(issued.Name);
        Assert.Equal([(vo, MembershipRole.Chair)], await gialai.MembersAsync());
    }

    [Fact]
    public async Task An_end_user_token_alone_or_another_service_certificate_cannot_call_the_service_only_preview()
    {
        var token = DevelopmentTokens.Mint(Province, [SteeringScopes.Read, SteeringScopes.Write, SteeringScopes.Admin], TimeSpan.FromHours(1));
        var request = new PreviewChangesRequest { EffectiveDate = Day(2019, 6, 20), OwnerOrganisation = Province };

        var userAlone = new MembershipService.MembershipServiceClient(system.Membership.Channel(token));
        var refused = await FailureAsync(userAlone.PreviewChangesAsync(request));
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);

        using var notifications = authority.Issue("egov-steering-notifications", "notifications-as-client").Certificate;
        var otherService = new MembershipService.MembershipServiceClient(system.Membership.Channel(token, notifications));
        Assert.Equal(StatusCode.PermissionDenied, (await FailureAsync(otherService.PreviewChangesAsync(request))).StatusCode);

        using var decisions = authority.Issue(DecisionsIdentity, "decisions-as-client").Certificate;
        var asDecisions = new MembershipService.MembershipServiceClient(system.Membership.Channel(token, decisions));
        Assert.Empty((await asDecisions.PreviewChangesAsync(request)).Problems);
    }

    private void Tls(string service, IDictionary<string, string?> settings)
    {
        var certificate = authority.Issue($"egov-steering-{service}", service);
        settings["Tls:CertificatePath"] = certificate.CertificatePath;
        settings["Tls:KeyPath"] = certificate.KeyPath;
        settings["Tls:CaPath"] = authority.CaPath;
        settings["Tls:ClientCertificates"] = "Allow";
        settings["Tls:TrustedServices:0"] = DecisionsIdentity;
    }
}
