"""Query expressions that Django does not have."""

from django.db.models import BooleanField, Expression, F, QuerySet, Subquery


class InSubquery(Expression):
    """`column IN (SELECT …)` that PostgreSQL can OR with indexed conditions.

    A plain `IN (SELECT …)` or `EXISTS` inside an OR is a filter that PostgreSQL can only test row by row, so
    `a OR b OR column IN (SELECT …)` scans the whole table even when `a` and `b` have indexes. On PostgreSQL
    this is therefore written `(column IN (SELECT …) AND column = ANY(ARRAY(SELECT …)))`:

    * `column = ANY(ARRAY(SELECT …))` is an index condition on `column` (the subquery runs once, as an
      InitPlan), so `a OR b OR InSubquery(…)` can be a BitmapOr of three index scans;
    * `column IN (SELECT …)` comes first for the plans that test rows one by one instead (walking an index in
      the wanted order and stopping after a page): it is a hash lookup, where `= ANY(array)` would compare
      with every element of the array, and when it is false the ANY is not evaluated.

    Other databases get the plain `column IN (SELECT …)`. The subquery must select one column of the type of
    `column`. Usable in filter() and inside Q objects: Q(title__icontains=q) | Q(InSubquery("pk", ids)).
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str | Expression, queryset: QuerySet):
        super().__init__(output_field=BooleanField())
        self.column = F(column) if isinstance(column, str) else column
        self.subquery = Subquery(queryset)

    def get_source_expressions(self):
        return [self.column, self.subquery]

    def set_source_expressions(self, exprs):
        self.column, self.subquery = exprs

    def _compile(self, compiler):
        column_sql, column_params = compiler.compile(self.column)
        subquery_sql, subquery_params = compiler.compile(self.subquery)  # "(SELECT …)"
        return column_sql, subquery_sql, (*column_params, *subquery_params)

    def as_sql(self, compiler, connection):
        column, subquery, params = self._compile(compiler)
        return f"{column} IN {subquery}", params

    def as_postgresql(self, compiler, connection):
        column, subquery, params = self._compile(compiler)
        return f"({column} IN {subquery} AND {column} = ANY(ARRAY{subquery}))", params * 2
