using Egov.Steering.Decisions.V1;
using Egov.Steering.Events.V1;
using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Google.Protobuf.WellKnownTypes;
using DecisionKind = Egov.Steering.Decisions.V1.DecisionKind;
using TypesV1 = Egov.Steering.Types.V1;

namespace Egov.Steering.Membership.Tests.Events;

/// <summary>DecisionIssued events as Decisions emits them, and the posts and people they name.</summary>
internal static class IssuedDecisions
{
    public const string GiaLai = "province-2020-64";
    public const string BinhDinh = "province-2020-52";
    public const string NewGiaLai = "province-2025-52";

    public static EventEnvelope Issued(string decisionId, string number, string owner, TypesV1.CivilDate effective, DecisionKind[] kinds, params TypesV1.Change[] changes)
    {
        var id = Guid.NewGuid().ToString();
        return new EventEnvelope
        {
            Id = id,
            Type = DecisionIssued.Descriptor.FullName,
            Source = "//decisions.steering.egov.gov.vn",
            Subject = "decisions/" + decisionId,
            Time = Timestamp.FromDateTime(DateTime.UtcNow),
            Aggregate = "decisions/" + decisionId,
            AggregateVersion = 1,
            CorrelationId = "request-" + Guid.NewGuid().ToString("N"),
            Jurisdiction = owner,
            DecisionIssued = new DecisionIssued
            {
                Decision = new Decision
                {
                    Name = "decisions/" + decisionId,
                    Number = number,
                    OwnerOrganisation = owner,
                    EffectiveDate = effective,
                    Kinds = { kinds },
                    Changes = { changes },
                },
            },
        };
    }

    /// <summary>The event with the decision's subject committees set, as Decisions fills them.</summary>
    public static EventEnvelope WithSubjects(EventEnvelope issued, params string[] committeeIds)
    {
        issued.DecisionIssued.Decision.SubjectCommittees.Add(committeeIds.Select(id => "committees/" + id));
        return issued;
    }

    /// <summary>The same event again, as a redelivery would carry it (same id).</summary>
    public static EventEnvelope Again(EventEnvelope issued) => issued.Clone();

    /// <summary>The same decision in a new event (a new id), as a republish after a lost acknowledgement could.</summary>
    public static EventEnvelope Republished(EventEnvelope issued)
    {
        var copy = issued.Clone();
        copy.Id = Guid.NewGuid().ToString();
        return copy;
    }

    public static TypesV1.CivilDate Day(int year, int month, int day) =>
        new() { Year = year, Month = month, Day = day, Precision = TypesV1.DatePrecision.Day };

    public static TypesV1.Change Establish(string committeeId, string displayName, string jurisdiction) => new()
    {
        EstablishCommittee = new TypesV1.EstablishCommittee
        {
            CommitteeId = committeeId,
            DisplayName = displayName,
            Level = TypesV1.CommitteeLevel.Province,
            Jurisdiction = jurisdiction,
            MandateTopics = { TypesV1.MandateTopic.EGovernment },
        },
    };

    public static TypesV1.Change Rename(string committeeId, string displayName) => new()
    {
        RenameCommittee = new() { Committee = "committees/" + committeeId, DisplayName = displayName },
    };

    public static TypesV1.Change AppointPost(string committeeId, string postId, params TypesV1.MembershipRole[] roles) => new()
    {
        Appoint = new TypesV1.Appoint
        {
            Committee = "committees/" + committeeId,
            Entry = new TypesV1.RosterEntry { Holder = new TypesV1.Holder { Post = "posts/" + postId }, Roles = { roles } },
        },
    };

    public static TypesV1.Change AppointPerson(string committeeId, string personId) => new()
    {
        Appoint = new TypesV1.Appoint
        {
            Committee = "committees/" + committeeId,
            Entry = new TypesV1.RosterEntry { Holder = new TypesV1.Holder { Person = "people/" + personId }, Roles = { TypesV1.MembershipRole.Member } },
        },
    };

    public static TypesV1.Change AssignHolder(string postId, string personId) => new()
    {
        AssignPostHolder = new TypesV1.AssignPostHolder { Post = "posts/" + postId, Person = "people/" + personId },
    };

    public static TypesV1.Change Merge(string successorId, params string[] committeeIds) => new()
    {
        MergeCommittees = new TypesV1.MergeCommittees
        {
            Committees = { committeeIds.Select(id => "committees/" + id) },
            Successor = "committees/" + successorId,
        },
    };

    /// <summary>The posts and people of the scenario, registered as CreatePost/CreatePerson would.</summary>
    public static async Task SeedPostsAndPeopleAsync(MembershipDbContext db)
    {
        db.Posts.AddRange(
            new Post("chu-tich-gia-lai", "Chủ tịch UBND tỉnh Gia Lai", PostKind.ProvincialChairman, null, "UBND tỉnh Gia Lai", GiaLai),
            new Post("giam-doc-stttt-gia-lai", "Giám đốc Sở Thông tin và Truyền thông tỉnh Gia Lai", PostKind.DepartmentDirector, "thong-tin-truyen-thong", "Sở TT&TT tỉnh Gia Lai", GiaLai),
            new Post("chu-tich-binh-dinh", "Chủ tịch UBND tỉnh Bình Định", PostKind.ProvincialChairman, null, "UBND tỉnh Bình Định", BinhDinh),
            new Post("chu-tich-gia-lai-2025", "Chủ tịch UBND tỉnh Gia Lai", PostKind.ProvincialChairman, null, "UBND tỉnh Gia Lai", NewGiaLai));
        db.People.AddRange(new Person("vo-ngoc-thanh", "Võ Ngọc Thành"), new Person("ho-phuoc-thanh", "Hồ Phước Thành"));
        await db.SaveChangesAsync();
    }
}
