META
key;value
description;a cumulative vote that gives points to a project twice
num_projects;2
num_votes;2
budget;100
vote_type;cumulative
rule;greedy
PROJECTS
project_id;cost
a;60
b;30
VOTES
voter_id;vote;points
1;a,b;6,4
2;a,a;5,5
