using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;

namespace Egov.Steering.Membership.Tests.Domain;

/// <summary>
/// A small register to apply decisions to: Gia Lai (2020, code 64) and Bình Định (2020, code 52) with their
/// People's Committee chairmen's posts, a few people, and helpers to write decisions tersely.
/// </summary>
internal sealed class Scenario
{
    public const string GiaLai = "province-2020-64";
    public const string BinhDinh = "province-2020-52";
    public const string NewGiaLai = "province-2025-52";

    public Register Register { get; } = new(
        posts:
        [
            new Post("chu-tich-gia-lai", "Chủ tịch UBND tỉnh Gia Lai", PostKind.ProvincialChairman, null, "UBND tỉnh Gia Lai", GiaLai),
            new Post("giam-doc-sxd-gia-lai", "Giám đốc Sở Xây dựng tỉnh Gia Lai", PostKind.DepartmentDirector, "xay-dung", "Sở Xây dựng tỉnh Gia Lai", GiaLai),
            new Post("giam-doc-stttt-gia-lai", "Giám đốc Sở Thông tin và Truyền thông tỉnh Gia Lai", PostKind.DepartmentDirector, "thong-tin-truyen-thong", "Sở TT&TT tỉnh Gia Lai", GiaLai),
            new Post("chu-tich-binh-dinh", "Chủ tịch UBND tỉnh Bình Định", PostKind.ProvincialChairman, null, "UBND tỉnh Bình Định", BinhDinh),
            new Post("chu-tich-gia-lai-2025", "Chủ tịch UBND tỉnh Gia Lai", PostKind.ProvincialChairman, null, "UBND tỉnh Gia Lai", NewGiaLai),
        ],
        people:
        [
            new Person("vo-ngoc-thanh", "Võ Ngọc Thành"),
            new Person("truong-hai-long", "Trương Hải Long"),
            new Person("ho-phuoc-thanh", "Hồ Phước Thành"),
            new Person("nguyen-van-a", "Nguyễn Văn A"),
            new Person("tran-thi-b", "Trần Thị B"),
        ]);

    public static CivilDate D(int year, int month, int day) => CivilDate.Of(year, month, day);

    public static DateOnly On(int year, int month, int day) => new(year, month, day);

    public static Holder PostSeat(string post) => new(null, post);

    public static Holder PersonSeat(string person) => new(person, null);

    public static RosterSeat Seat(Holder holder, params MembershipRole[] roles) => new(holder, new RoleSet(roles));

    public static DecisionToApply Decision(string id, CivilDate effective, string owner, params DecisionChange[] changes) =>
        new(id, id.ToUpperInvariant() + "/QĐ-UBND", effective, [DecisionKind.Amend], [], owner, changes);

    public static EstablishCommittee EstablishGiaLai(int index = 0) => new(
        $"changes[{index}].establish_committee", null, "bcd-gia-lai", "Ban chỉ đạo xây dựng Chính quyền điện tử tỉnh Gia Lai",
        CommitteeLevel.Province, GiaLai, null, [MandateTopic.EGovernment], new FocalAgency("Sở Thông tin và Truyền thông tỉnh Gia Lai", null));

    /// <summary>Registers Gia Lai's committee founded on 2019-06-20 with its chairman's post as chair.</summary>
    public Committee FoundGiaLai()
    {
        Apply(Decision("d337", D(2019, 6, 20), GiaLai,
            EstablishGiaLai(),
            new Appoint("changes[1].appoint", null, "bcd-gia-lai", Seat(PostSeat("chu-tich-gia-lai"), MembershipRole.Chair))));
        return Register.FindCommittee("bcd-gia-lai")!;
    }

    public DecisionOutcome Apply(DecisionToApply decision)
    {
        var outcome = DecisionEngine.Apply(Register, decision);
        Assert.True(outcome.Result == DecisionResult.Applied, string.Join("\n", outcome.Problems));
        return outcome;
    }

    public CommitteeAsOf AsOf(string committeeId, DateOnly date) => Register.AsOf(Register.FindCommittee(committeeId)!, date);
}
