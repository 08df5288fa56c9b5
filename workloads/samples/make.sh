#!/bin/sh
# Rebuilds the bundled samples of the real traces from ../shared/traces (see PROVENANCE.md).
# Run from the repository root: sh workloads/samples/make.sh
set -eu
T=../shared/traces
S=workloads/samples
schedsim() { node bin/schedsim.js "$@"; }

# openb (Alibaba GPU 2023): days 123-128 of the pod list (dense part), with the full node list.
schedsim import --format openb --in $T/alibaba-openb-gpu-2023/openb_pod_list_default.csv \
  --nodes $T/alibaba-openb-gpu-2023/openb_node_list_all_node.csv \
  --out $S/openb-5d.csv --cluster-out $S/openb-cluster.csv --from 10627200 --to 11059200

# alibaba-dlrm (Alibaba DLRM serving 2025): the first 3 days of complete lifetimes; no node list.
schedsim import --format alibaba-dlrm --in $T/alibaba-dlrm-gpu-2025/disaggregated_DLRM_trace.csv \
  --out $S/alibaba-dlrm-3d.csv --to 259200

# alibaba-2017 (cluster-trace-v2017 batch): a seeded 0.02% sample of the 10.1 M instances, all machines.
schedsim import --format alibaba-2017 --in $T/alibaba-v2017/batch_task.csv --nodes $T/alibaba-v2017/server_event.csv \
  --out $S/alibaba-2017-sample.csv --cluster-out $S/alibaba-2017-cluster.csv \
  --instances sample --sample-fraction 0.0002 --seed 1

# NASA iPSC/860 1993 (SWF): the first week; the machine as one pooled node of 128 processors.
schedsim import --format swf --in $T/pwa-nasa-ipsc-1993/NASA-iPSC-1993-3.1-cln.swf.gz \
  --out $S/nasa-ipsc-1w.csv --cluster-out $S/nasa-ipsc-cluster.csv --to 604800

# LLNL Atlas 2006 (SWF): the first two weeks after the first submit; one pooled node of 9,216 cores.
schedsim import --format swf --in $T/pwa-llnl-atlas-2006/LLNL-Atlas-2006-2.1-cln.swf \
  --out $S/llnl-atlas-2w.csv --cluster-out $S/llnl-atlas-cluster.csv --to 1209600
