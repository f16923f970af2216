using Egov.Steering.Decisions.V1;
using Egov.Steering.Types.V1;

namespace Egov.Steering.Decisions.Tests.Support;

/// <summary>Decisions from the source article, as a ministry's or province's system would draft them.</summary>
public static class Drafts
{
    public const string GiaLai = "province-2025-52";
    public const string GiaLaiCommittee = "committees/province-2025-52";

    public static CivilDate Day(int year, int month, int day) => new() { Year = year, Month = month, Day = day, Precision = DatePrecision.Day };

    /// <summary>A Gia Lai draft of <paramref name="changes"/> working groups with purposes of 4,000 characters: ~4 KB a change.</summary>
    public static Decision WithLargeChanges(string number, int changes)
    {
        var decision = GiaLaiConsolidation(number);
        decision.Changes.Clear();
        decision.Changes.Add(Enumerable.Range(0, changes).Select(i => new Change
        {
            EstablishWorkingGroup = new EstablishWorkingGroup
            {
                Committee = GiaLaiCommittee,
                WorkingGroupId = $"to-cong-tac-{i}",
                DisplayName = $"Tổ công tác {i}",
                Purpose = new string('a', 4000),
            },
        }));
        return decision;
    }

    /// <summary>Gia Lai consolidates (kiện toàn) its committee: the chairman of the People's Committee chairs it.</summary>
    public static Decision GiaLaiConsolidation(string number = "337/QĐ-UBND") => new()
    {
        Number = number,
        Issuer = new Issuer { Organisation = GiaLai, DisplayName = "Ủy ban nhân dân tỉnh Gia Lai" },
        Signer = new Signer { DisplayName = "Võ Ngọc Thành", Title = "Chủ tịch" },
        SignedDate = Day(2025, 7, 10),
        EffectiveDate = Day(2025, 7, 10),
        Kinds = { DecisionKind.Consolidate },
        SubjectCommittees = { GiaLaiCommittee },
        Title = "Về việc kiện toàn Ban Chỉ đạo xây dựng Chính quyền điện tử tỉnh Gia Lai",
        Summary = "Kiện toàn Ban Chỉ đạo theo Quyết định 701/QĐ-TTg",
        LegalBasis = { new LegalBasis { Citation = "Quyết định số 701/QĐ-TTg ngày 26/5/2020 của Thủ tướng Chính phủ" } },
        Document = new DocumentReference { Uri = "https://gialai.gov.vn/qd-337.pdf", MediaType = "application/pdf", Sha256 = new string('a', 64) },
        Changes =
        {
            new Change
            {
                Appoint = new Appoint
                {
                    Committee = GiaLaiCommittee,
                    Entry = new RosterEntry { Holder = new Holder { Post = "posts/chu-tich-ubnd-gia-lai" }, Roles = { MembershipRole.Chair } },
                },
            },
            new Change
            {
                Appoint = new Appoint
                {
                    Committee = GiaLaiCommittee,
                    Entry = new RosterEntry { Holder = new Holder { Post = "posts/giam-doc-so-xay-dung-gia-lai" }, Roles = { MembershipRole.Member } },
                },
            },
        },
    };

    /// <summary>The revoking decision's own data (number, dates, signer); the service adds its kind and change.</summary>
    public static Decision Revocation(string number = "999/QĐ-UBND") => new()
    {
        Number = number,
        Issuer = new Issuer { Organisation = GiaLai, DisplayName = "Ủy ban nhân dân tỉnh Gia Lai" },
        Signer = new Signer { DisplayName = "Võ Ngọc Thành", Title = "Chủ tịch" },
        SignedDate = Day(2025, 9, 1),
        EffectiveDate = Day(2025, 9, 1),
        Title = "Về việc bãi bỏ Quyết định 337/QĐ-UBND",
    };
}
