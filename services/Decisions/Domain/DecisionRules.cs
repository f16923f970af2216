using Egov.Steering.Changes;
using Egov.Steering.Decisions.V1;
using Egov.Steering.Types.V1;
namespace Egov.Steering.Decisions.Domain;

/// <summary>
/// This service's own checks of a decision before it is issued: completeness and consistency of the document's
/// record. Every problem is reported, never only the first. The membership rules (unknown committee, two chairs...)
/// are Membership's, asked through PreviewChanges.
/// </summary>
public static class DecisionRules
{
    /// <param name="decision">The decision to check.</param>
    /// <param name="numberUsedBy">Another decision of the same issuer with the same number, if any.</param>
    public static IReadOnlyList<Problem> Check(Decision decision, string? numberUsedBy)
    {
        var problems = new List<Problem>();
        var cited = decision.Source is not null;

        if (decision.Number.Length == 0 && !cited)
        {
            problems.Add(new Problem("number", "MISSING_NUMBER",
                "the number is required unless the decision is recorded from a cited secondary source (source)"));
        }

        if (numberUsedBy is not null)
        {
            problems.Add(new Problem("number", "NUMBER_ALREADY_USED",
                $"{decision.IssuerOrganisation} already issued number \"{decision.Number}\" ({numberUsedBy})"));
        }

        if (decision.Signer is null && !cited)
        {
            problems.Add(new Problem("signer", "MISSING_SIGNER", "the signer (name and title) is required"));
        }

        if (decision.EffectiveDate is null)
        {
            problems.Add(new Problem("effective_date", "MISSING_EFFECTIVE_DATE", "the effective date is required to issue"));
        }

        foreach (var (field, date) in new[] { ("signed_date", decision.SignedDate), ("effective_date", decision.EffectiveDate) })
        {
            if (date is { IsExact: false } && !cited)
            {
                problems.Add(new Problem(field, "IMPRECISE_DATE_WITHOUT_SOURCE",
                    $"{field} is known only as {date}: cite the secondary source that gives no more (source)"));
            }
        }

        // Only a certain inversion is a problem: "2020" signed and "2020-05-26" effective may well be in order.
        if (decision.SignedDate is { } signed && decision.EffectiveDate is { } effective && signed.FirstDay > effective.LastDay)
        {
            problems.Add(new Problem("effective_date", "DATES_OUT_OF_ORDER",
                $"the decision takes effect ({effective}) before it was signed ({signed})"));
        }

        if (decision.Kinds.Count == 0)
        {
            problems.Add(new Problem("kinds", "MISSING_KIND", "at least one kind (ESTABLISH, CONSOLIDATE, ...) is required"));
        }

        if (decision.SubjectCommittees.Count == 0)
        {
            problems.Add(new Problem("subject_committees", "MISSING_SUBJECT_COMMITTEE", "at least one subject committee is required"));
        }

        if (decision.Changes.Count == 0)
        {
            problems.Add(new Problem("changes", "NO_CHANGES", "a decision changes the register: at least one change is required"));
        }

        for (var index = 0; index < decision.Changes.Count; index++)
        {
            if (decision.Changes[index].EffectiveDate is { } changeDay && decision.SignedDate is { } signedOn
                && signedOn.FirstDay > changeDay.LastDay)
            {
                problems.Add(new Problem($"changes[{index}].effective_date", "DATES_OUT_OF_ORDER",
                    $"the change takes effect ({changeDay}) before the decision was signed ({signedOn})"));
            }
        }

        // Membership applies a decision in the issue order of its subject committees only: a committee changed
        // outside them could see this decision overtake, or be overtaken by, that committee's own decisions.
        if (decision.SubjectCommittees.Count > 0)
        {
            for (var index = 0; index < decision.Changes.Count; index++)
            {
                foreach (var (field, committee) in decision.Changes[index].Committees)
                {
                    if (!decision.SubjectCommittees.Contains(committee, StringComparer.Ordinal))
                    {
                        problems.Add(new Problem($"changes[{index}].{field}", "COMMITTEE_NOT_A_SUBJECT",
                            $"the change acts on {committee}, which is not a subject committee: add {committee} to subject_committees"));
                    }
                }
            }
        }

        if (decision.Kinds.Contains(DecisionKind.Revoke) && decision.Revokes.Length == 0)
        {
            problems.Add(new Problem("kinds", "REVOKE_WITHOUT_REVOKED_DECISION", "kind REVOKE is set by RevokeDecision only"));
        }

        return problems;
    }
}
