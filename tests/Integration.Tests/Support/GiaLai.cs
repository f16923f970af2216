using Egov.Steering.Decisions.V1;
using Egov.Steering.Membership.V1;
using Egov.Steering.TestSupport;
using Egov.Steering.Types.V1;
using Grpc.Core;

namespace Egov.Steering.Integration.Tests.Support;

/// <summary>
/// Gia Lai's steering committee (province-2020-64) as the province's system records it, only through the public APIs:
/// people through Membership, decisions drafted, issued and followed through Decisions.
/// </summary>
public sealed class GiaLai(SteeringSystem system)
{
    public const string Province = "province-2020-64";
    public const string Committee = "committees/bcd-gia-lai";

    private readonly MembershipService.MembershipServiceClient membership = system.MembershipClient(Province);

    public DecisionsService.DecisionsServiceClient Decisions => system.DecisionsClient(Province);

    public static CivilDate Day(int year, int month, int day) => new() { Year = year, Month = month, Day = day, Precision = DatePrecision.Day };

    /// <summary>Registers a person; returns its resource name.</summary>
    public async Task<string> PersonAsync(string displayName) =>
        (await membership.CreatePersonAsync(new CreatePersonRequest { Person = new Person { DisplayName = displayName } })).Name;

    /// <summary>A decision of the province's People's Committee, in force from <paramref name="effective"/>.</summary>
    public static Decision Draft(string number, CivilDate effective, DecisionKind kind, params Change[] changes)
    {
        var decision = Signed(number, effective, "Về Ban Chỉ đạo xây dựng Chính quyền điện tử tỉnh Gia Lai");
        decision.Kinds.Add(kind);
        decision.SubjectCommittees.Add(Committee);
        decision.Changes.Add(changes);
        return decision;
    }

    /// <summary>A revoking decision's own data; RevokeDecision adds its kind and change.</summary>
    public static Decision Revocation(string number, CivilDate effective, string revokedNumber) =>
        Signed(number, effective, $"Về việc bãi bỏ Quyết định {revokedNumber}");

    /// <summary>337/QĐ-UBND (2019-06-20) founds the committee with <paramref name="chair"/> chairing it.</summary>
    public static Decision Founding(string chair) => Draft("337/QĐ-UBND", Day(2019, 6, 20), DecisionKind.Establish,
        new Change
        {
            EstablishCommittee = new EstablishCommittee
            {
                CommitteeId = "bcd-gia-lai",
                DisplayName = "Ban Chỉ đạo xây dựng Chính quyền điện tử tỉnh Gia Lai",
                Level = CommitteeLevel.Province,
                Jurisdiction = Province,
                MandateTopics = { MandateTopic.EGovernment },
            },
        },
        Appoint(chair, MembershipRole.Chair));

    public static Change Appoint(string person, MembershipRole role) => new()
    {
        Appoint = new Appoint { Committee = Committee, Entry = Entry(person, role) },
    };

    public static RosterEntry Entry(string person, MembershipRole role) => new() { Holder = new Holder { Person = person }, Roles = { role } };

    private static Decision Signed(string number, CivilDate effective, string title) => new()
    {
        Number = number,
        Issuer = new Issuer { Organisation = Province, DisplayName = "Ủy ban nhân dân tỉnh Gia Lai" },
        Signer = new Signer { DisplayName = "Võ Ngọc Thành", Title = "Chủ tịch" },
        SignedDate = effective,
        EffectiveDate = effective,
        Title = title,
    };

    /// <summary>Drafts <paramref name="decision"/> and returns the draft.</summary>
    public Task<Decision> CreateAsync(Decision decision) =>
        Decisions.CreateDecisionAsync(new CreateDecisionRequest { Decision = decision, DecisionId = "qd-" + Guid.NewGuid().ToString("N")[..10] }).ResponseAsync;

    /// <summary>Drafts and issues <paramref name="decision"/>; returns it as issued.</summary>
    public async Task<Decision> IssueAsync(Decision decision)
    {
        var draft = await CreateAsync(decision);
        return await Decisions.IssueDecisionAsync(new IssueDecisionRequest { Name = draft.Name, Etag = draft.Etag });
    }

    /// <summary>Waits for Membership's outcome of an issued decision; asserts it is <paramref name="expected"/> unless that is Unspecified.</summary>
    public async Task<Decision> OutcomeAsync(string name, DecisionState expected = DecisionState.Applied)
    {
        Decision decision = null!;
        await Eventually.WaitUntilAsync(
            async () => (decision = await Decisions.GetDecisionAsync(new GetDecisionRequest { Name = name })).State != DecisionState.Issued,
            $"Membership's outcome of {name}");
        Assert.True(
            expected == DecisionState.Unspecified || decision.State == expected,
            $"{name} is {decision.State}, not {expected}: {string.Join("; ", decision.RejectionReasons)}");
        return decision;
    }

    /// <summary>Issues <paramref name="decision"/> and waits until Membership has applied it.</summary>
    public async Task<Decision> ApplyAsync(Decision decision) => await OutcomeAsync((await IssueAsync(decision)).Name);

    /// <summary>Who sits on the committee as of <paramref name="asOf"/> (today when null), with their roles, in the view's order (chair first).</summary>
    public async Task<IReadOnlyList<(string Person, MembershipRole Role)>> MembersAsync(Google.Type.Date? asOf = null)
    {
        var view = await membership.GetCommitteeViewAsync(new GetCommitteeViewRequest { Committee = Committee, AsOf = asOf });
        return [.. view.Memberships.SelectMany(m => m.Roles.Select(role => (m.Person, role)))];
    }

    public static async Task<RpcException> FailureAsync<T>(AsyncUnaryCall<T> call) => await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
}
