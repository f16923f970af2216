using System.Linq.Expressions;

namespace Egov.Steering.Membership.Domain.Decisions;

/// <summary>
/// A filter made of the terms that can select something: a term over an empty list (nothing revoked, no membership
/// named by id) is left out, not sent as an always-false <c>= ANY('{}')</c>. PostgreSQL plans the register's loads
/// anew on every call (their parameters make custom plans cheaper than a generic one), and each such term, with its
/// null checks and subqueries, cost that planning more than the query cost to run (bench/DecisionPath).
/// </summary>
internal static class Disjunction
{
    /// <summary>The terms given (a null one is left out), joined by <c>||</c>; none at all selects nothing.</summary>
    public static Expression<Func<T, bool>> Of<T>(params IEnumerable<Expression<Func<T, bool>>?> terms)
    {
        var parameter = Expression.Parameter(typeof(T), "x");
        var body = terms.OfType<Expression<Func<T, bool>>>()
            .Select(term => new Rebinding(term.Parameters[0], parameter).Visit(term.Body))
            .Aggregate((Expression?)null, (either, term) => either is null ? term : Expression.OrElse(either, term))
            ?? Expression.Constant(false);
        return Expression.Lambda<Func<T, bool>>(body, parameter);
    }

    /// <summary>One term's parameter replaced by the disjunction's.</summary>
    private sealed class Rebinding(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
