//! Where each node sits on the stage, for any topology the model runs.
//!
//! Producers stand in a column on the left, brokers are stacked in the middle (each box tall
//! enough for one log strip per replica it hosts), consumers stand on the right. The stage's
//! height grows with the number of replica rows; its width is fixed, so the SVG scales evenly.

use super::scene::Scene;
use crate::model::NodeId;

pub const STAGE_WIDTH: f64 = 1000.0;
pub const CLIENT_WIDTH: f64 = 180.0;
pub const CLIENT_HEIGHT: f64 = 64.0;
pub const BROKER_X: f64 = 240.0;
pub const BROKER_WIDTH: f64 = 500.0;
pub const BROKER_HEADER: f64 = 30.0;
pub const ROW_HEIGHT: f64 = 34.0;
pub const BROKER_GAP: f64 = 26.0;
pub const MARGIN: f64 = 20.0;
/// Log cells start this far into a broker box, after the partition label and leader badge.
pub const CELLS_X: f64 = 96.0;
pub const CELL_WIDTH: f64 = 26.0;
/// At most this many cells per strip; longer logs show their newest offsets.
pub const MAX_CELLS: usize = 14;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn center(&self) -> Point {
        Point {
            x: self.x + self.width / 2.0,
            y: self.y + self.height / 2.0,
        }
    }
}

/// The box of every node, and the stage's size.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub boxes: Vec<(NodeId, Rect)>,
    /// For each broker, its replica rows: (partition, y of the row's top).
    pub rows: Vec<(u32, Vec<(u32, f64)>)>,
    pub height: f64,
}

impl Layout {
    pub fn of(scene: &Scene) -> Self {
        let mut boxes = Vec::new();
        let mut rows = Vec::new();
        let mut y = MARGIN;
        let brokers: Vec<u32> = scene.nodes.keys().filter_map(|n| n.broker()).collect();
        for &b in &brokers {
            let hosted: Vec<u32> = scene
                .partitions
                .iter()
                .filter(|p| p.replicas.contains(&b))
                .map(|p| p.id)
                .collect();
            let height = BROKER_HEADER + ROW_HEIGHT * hosted.len().max(1) as f64 + 6.0;
            boxes.push((
                NodeId::Broker(b),
                Rect {
                    x: BROKER_X,
                    y,
                    width: BROKER_WIDTH,
                    height,
                },
            ));
            let row_tops = hosted
                .iter()
                .enumerate()
                .map(|(i, &p)| (p, y + BROKER_HEADER + ROW_HEIGHT * i as f64))
                .collect();
            rows.push((b, row_tops));
            y += height + BROKER_GAP;
        }
        let height = (y - BROKER_GAP + MARGIN).max(2.0 * MARGIN + CLIENT_HEIGHT);
        let column = |kind: fn(&NodeId) -> bool, x: f64, boxes: &mut Vec<(NodeId, Rect)>| {
            let ids: Vec<NodeId> = scene.nodes.keys().copied().filter(kind).collect();
            let n = ids.len().max(1) as f64;
            for (i, id) in ids.into_iter().enumerate() {
                let cy = height * (i as f64 + 0.5) / n;
                boxes.push((
                    id,
                    Rect {
                        x,
                        y: cy - CLIENT_HEIGHT / 2.0,
                        width: CLIENT_WIDTH,
                        height: CLIENT_HEIGHT,
                    },
                ));
            }
        };
        column(|n| matches!(n, NodeId::Producer(_)), MARGIN, &mut boxes);
        column(
            |n| matches!(n, NodeId::Consumer(_)),
            STAGE_WIDTH - MARGIN - CLIENT_WIDTH,
            &mut boxes,
        );
        Layout {
            boxes,
            rows,
            height,
        }
    }

    pub fn rect(&self, node: NodeId) -> Option<Rect> {
        self.boxes.iter().find(|(n, _)| *n == node).map(|(_, r)| *r)
    }

    /// Where a message from `from` to `to` leaves and arrives. Client links meet a broker at its
    /// facing side; broker-to-broker traffic runs in a lane left of the broker column.
    pub fn endpoints(&self, from: NodeId, to: NodeId, lane: f64) -> Option<(Point, Point)> {
        let (a, b) = (self.rect(from)?, self.rect(to)?);
        let anchor = |r: Rect, other: Rect, node: NodeId, peer: NodeId| -> Point {
            let c = r.center();
            match (node, peer) {
                (NodeId::Broker(_), NodeId::Broker(_)) => Point {
                    x: r.x - 14.0 - lane.abs(),
                    y: c.y,
                },
                (NodeId::Broker(_), _) if other.x < r.x => Point {
                    x: r.x,
                    y: c.y + lane,
                },
                (NodeId::Broker(_), _) => Point {
                    x: r.x + r.width,
                    y: c.y + lane,
                },
                _ if other.x > r.x => Point {
                    x: r.x + r.width,
                    y: c.y + lane,
                },
                _ => Point {
                    x: r.x,
                    y: c.y + lane,
                },
            }
        };
        Some((anchor(a, b, from, to), anchor(b, a, to, from)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Scenario;

    #[test]
    fn brokers_are_stacked_without_overlap_and_clients_sit_beside_them() {
        let mut s = Scenario::default();
        s.topic.partitions = 6;
        let scene = Scene::initial(&s);
        let layout = Layout::of(&scene);
        let brokers: Vec<Rect> = (1..=3)
            .map(|b| layout.rect(NodeId::Broker(b)).expect("a box per broker"))
            .collect();
        for pair in brokers.windows(2) {
            assert!(pair[0].y + pair[0].height < pair[1].y, "{pair:?}");
        }
        // 6 partitions × RF 3, and group g's `__consumer_offsets` partition (RF 3), over 3
        // brokers: 7 rows each.
        assert!(layout.rows.iter().all(|(_, rows)| rows.len() == 7));
        let p1 = layout.rect(NodeId::Producer(1)).unwrap();
        let c1 = layout.rect(NodeId::Consumer(1)).unwrap();
        assert!(p1.x + p1.width < BROKER_X && c1.x > BROKER_X + BROKER_WIDTH);
        assert!(layout.height > brokers[2].y + brokers[2].height);
    }

    #[test]
    fn a_producer_message_arrives_at_the_brokers_left_side() {
        let scene = Scene::initial(&Scenario::default());
        let layout = Layout::of(&scene);
        let (from, to) = layout
            .endpoints(NodeId::Producer(1), NodeId::Broker(1), 0.0)
            .unwrap();
        assert!(from.x < to.x);
        assert_eq!(to.x, BROKER_X);
    }
}
