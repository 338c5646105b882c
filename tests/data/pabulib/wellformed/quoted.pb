META
key;value
description;"semi;colon"
num_projects;2
num_votes;2
budget;100
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;votes;name;selected
a;60;2;"Park ""Green"", north";1
b;50;1;"two
lines";0
VOTES
voter_id;vote;age
1;a,b;30
2;a;41
