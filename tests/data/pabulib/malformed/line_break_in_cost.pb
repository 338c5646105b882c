META
key;value
description;a short row that no next line can honestly complete
num_projects;2
num_votes;1
budget;100
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;name
a;6
0;Park
b;30;Bench
VOTES
voter_id;vote
1;a,b
